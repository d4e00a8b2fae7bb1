//! Search: parses a query (tantivy's query language with the text field as default and AND
//! between clauses, after a small rewrite so pseudonyms like `[CLIENT]` can be typed as they
//! appear), ranks documents with BM25, groups them per case (a case ranks by its best
//! document) and makes highlighted snippets from the stored pseudonymised text.
//!
//! Owns: query rewriting, grouping, snippets. Must never: return text that is not in a stored
//! pseudonymised document, or put the query into anything but the caller's error message.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{Query, QueryParser, QueryParserError};
use tantivy::schema::Value as _;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument};

use super::{analysis, field, CaseIndex, IndexError};

/// Documents shown per case.
pub const DOCS_PER_CASE: usize = 3;

/// One matching document.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    pub doc_id: String,
    #[serde(rename = "type")]
    pub doctype: String,
    /// The first month mentioned in the document, if any.
    pub datum: Option<String>,
    pub score: f32,
    /// A fragment of the stored pseudonymised text.
    pub snippet: String,
    /// Byte ranges in `snippet` of the matched terms.
    pub highlighted: Vec<(usize, usize)>,
}

/// One case with its best documents.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub case_id: String,
    pub score: f32,
    /// Matching documents of this case.
    pub hits: usize,
    pub documents: Vec<SearchHit>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// Matching documents in all cases.
    pub total_documents: usize,
    /// Matching cases.
    pub total_cases: usize,
    /// The best cases, at most the limit.
    pub cases: Vec<CaseResult>,
}

/// Rewrites a user query for tantivy's parser, outside double quotes: a pseudonym in brackets
/// (`[CLIENT]`, `[INSTELLING-12]`) would read as a range, so it is quoted; `AND NOT x` and
/// `NOT x` become `-x` (tantivy reads `a AND NOT b` as `a AND (nothing but not b)`, which
/// matches nothing; with AND as the default, `a -b` is what is meant).
pub fn rewrite(query: &str) -> String {
    let mut out = String::with_capacity(query.len() + 8);
    let mut in_quote = false;
    let mut i = 0;
    while i < query.len() {
        let Some(rest) = query.get(i..) else { break };
        let Some(c) = rest.chars().next() else { break };
        let at_word_start = out
            .chars()
            .next_back()
            .is_none_or(|p| p.is_whitespace() || p == '(');
        if !in_quote && at_word_start {
            let skip = ["AND NOT ", "NOT "]
                .iter()
                .find(|k| rest.starts_with(**k))
                .map(|k| k.len());
            if let Some(n) = skip {
                let after = rest.get(n..).unwrap_or("");
                let ws = after.len() - after.trim_start().len();
                out.push('-');
                i += n + ws;
                continue;
            }
        }
        if c == '"' {
            in_quote = !in_quote;
        } else if c == '[' && !in_quote {
            if let Some(n) = pseudonym_len(rest) {
                out.push('"');
                out.push_str(rest.get(..n).unwrap_or(""));
                out.push('"');
                i += n;
                continue;
            }
        }
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// Length of `[NAME]` / `[NAME-digits]` at the start of `s`.
fn pseudonym_len(s: &str) -> Option<usize> {
    let end = s.find(']')?;
    let inner = s.get(1..end)?;
    let (name, digits) = match inner.split_once('-') {
        Some((n, d)) => (n, Some(d)),
        None => (inner, None),
    };
    let name_ok = !name.is_empty() && name.bytes().all(|b| b.is_ascii_uppercase() || b == b'_');
    let digits_ok = digits.is_none_or(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
    (name_ok && digits_ok).then_some(end + 1)
}

/// Parses a query against the index: default field `text`, AND between clauses.
pub fn parse(ix: &CaseIndex, query: &str) -> Result<Box<dyn Query>, IndexError> {
    if query.trim().is_empty() {
        return Err(IndexError::Query("the query is empty".into()));
    }
    let mut parser = QueryParser::for_index(ix.index(), vec![ix.field(field::TEXT)]);
    parser.set_conjunction_by_default();
    parser.parse_query(&rewrite(query)).map_err(|e| {
        IndexError::Query(match e {
            QueryParserError::FieldDoesNotExist(name) => format!(
                "unknown field `{name}`; fields are text, case, doc, {}",
                field::KEYWORDS.join(", ")
            ),
            QueryParserError::SyntaxError(_) => {
                "syntax error (check quotes, brackets and parentheses; a field filter is field:value)"
                    .to_string()
            }
            other => other.to_string(),
        })
    })
}

/// Per case: matching documents and the best few.
#[derive(Debug, Clone, Default)]
pub struct CaseAcc {
    pub hits: usize,
    pub best: f32,
    pub top: Vec<(Score, DocAddress)>,
}

impl CaseAcc {
    fn add(&mut self, score: Score, addr: DocAddress, keep: usize) {
        self.hits += 1;
        if self.hits == 1 || score > self.best {
            self.best = score;
        }
        if self.top.len() < keep || self.top.last().is_some_and(|(s, _)| score > *s) {
            let at = self.top.partition_point(|(s, _)| *s >= score);
            self.top.insert(at, (score, addr));
            self.top.truncate(keep);
        }
    }

    fn merge(&mut self, other: CaseAcc, keep: usize) {
        let hits = self.hits + other.hits;
        for (s, a) in other.top {
            self.add(s, a, keep);
        }
        self.best = self.best.max(other.best);
        self.hits = hits;
    }
}

/// Collects every matching document into per-case accumulators, keyed by the case key fast
/// field (see `index::case_key`).
pub struct CaseCollector {
    pub keep: usize,
    pub scoring: bool,
}

pub struct CaseSegmentCollector {
    segment: SegmentOrdinal,
    col: Column<u64>,
    by_key: HashMap<u64, CaseAcc>,
    keep: usize,
}

impl Collector for CaseCollector {
    type Fruit = HashMap<u64, CaseAcc>;
    type Child = CaseSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<CaseSegmentCollector> {
        Ok(CaseSegmentCollector {
            segment,
            col: reader.fast_fields().u64(field::CASE_KEY)?,
            by_key: HashMap::new(),
            keep: self.keep,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.scoring
    }

    fn merge_fruits(
        &self,
        fruits: Vec<HashMap<u64, CaseAcc>>,
    ) -> tantivy::Result<HashMap<u64, CaseAcc>> {
        let mut out: HashMap<u64, CaseAcc> = HashMap::new();
        for fruit in fruits {
            for (k, acc) in fruit {
                match out.get_mut(&k) {
                    Some(cur) => cur.merge(acc, self.keep),
                    None => {
                        out.insert(k, acc);
                    }
                }
            }
        }
        Ok(out)
    }
}

impl SegmentCollector for CaseSegmentCollector {
    type Fruit = HashMap<u64, CaseAcc>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some(key) = self.col.first(doc) else {
            return;
        };
        self.by_key.entry(key).or_default().add(
            score,
            DocAddress::new(self.segment, doc),
            self.keep,
        );
    }

    fn harvest(self) -> HashMap<u64, CaseAcc> {
        self.by_key
    }
}

/// The ids of the cases with a document matching `query` (all of them, unranked).
pub fn matching_cases(ix: &CaseIndex, query: &str) -> Result<Vec<String>, IndexError> {
    let q = parse(ix, query)?;
    let searcher = searcher(ix)?;
    let err = |e: tantivy::TantivyError| IndexError::tantivy(&ix.path, e);
    let fruit = searcher
        .search(
            &*q,
            &CaseCollector {
                keep: 1,
                scoring: false,
            },
        )
        .map_err(err)?;
    let mut v = Vec::with_capacity(fruit.len());
    for acc in fruit.values() {
        if let Some((_, addr)) = acc.top.first() {
            let d: TantivyDocument = searcher.doc(*addr).map_err(err)?;
            if let Some(id) = d.get_first(ix.field(field::CASE)).and_then(|v| v.as_str()) {
                v.push(id.to_string());
            }
        }
    }
    v.sort();
    v.dedup();
    Ok(v)
}

fn searcher(ix: &CaseIndex) -> Result<Searcher, IndexError> {
    let reader = ix
        .index()
        .reader()
        .map_err(|e| IndexError::tantivy(&ix.path, e))?;
    Ok(reader.searcher())
}

/// Searches an opened index; `limit` is the number of cases returned.
pub fn search_index(
    ix: &CaseIndex,
    query: &str,
    limit: usize,
) -> Result<SearchResults, IndexError> {
    let q = parse(ix, query)?;
    let searcher = searcher(ix)?;
    let err = |e: tantivy::TantivyError| IndexError::tantivy(&ix.path, e);
    let fruit = searcher
        .search(
            &*q,
            &CaseCollector {
                keep: DOCS_PER_CASE,
                scoring: true,
            },
        )
        .map_err(err)?;
    let total_documents = fruit.values().map(|a| a.hits).sum();
    let total_cases = fruit.len();
    let mut ranked: Vec<(u64, CaseAcc)> = fruit.into_iter().collect();
    ranked.sort_by(|a, b| b.1.best.total_cmp(&a.1.best).then_with(|| a.0.cmp(&b.0)));
    ranked.truncate(limit);
    let text_f = ix.field(field::TEXT);
    let mut snippets = SnippetGenerator::create(&searcher, &*q, text_f).map_err(err)?;
    snippets.set_max_num_chars(220);
    let get = |d: &TantivyDocument, name: &str| -> Option<String> {
        d.get_first(ix.field(name))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let mut cases = Vec::with_capacity(ranked.len());
    for (_, acc) in ranked {
        let mut case_id = String::new();
        let mut documents = Vec::new();
        for (score, addr) in &acc.top {
            let d: TantivyDocument = searcher.doc(*addr).map_err(err)?;
            if case_id.is_empty() {
                case_id = get(&d, field::CASE).unwrap_or_default();
            }
            let text = get(&d, field::TEXT).unwrap_or_default();
            let snip = snippets.snippet(&text);
            let (snippet, highlighted) = if snip.is_empty() {
                // No text term in the query (a pure filter): the document's opening.
                (opening(&text, 220), Vec::new())
            } else {
                (
                    // Same byte length, so the highlighted ranges stay valid.
                    snip.fragment().replace(['\n', '\r', '\t'], " "),
                    snip.highlighted()
                        .iter()
                        .map(|r| (r.start, r.end))
                        .collect(),
                )
            };
            documents.push(SearchHit {
                doc_id: get(&d, field::DOC).unwrap_or_default(),
                doctype: get(&d, field::TYPE).unwrap_or_default(),
                datum: get(&d, field::DATUM),
                score: *score,
                snippet,
                highlighted,
            });
        }
        cases.push(CaseResult {
            case_id,
            score: acc.best,
            hits: acc.hits,
            documents,
        });
    }
    Ok(SearchResults {
        total_documents,
        total_cases,
        cases,
    })
}

/// The first `max` bytes of a text (at a char boundary), on one line.
fn opening(text: &str, max: usize) -> String {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = text.get(..end).unwrap_or("");
    // Never end inside a word.
    let head = match (end < text.len(), head.rfind(char::is_whitespace)) {
        (true, Some(i)) => head.get(..i).unwrap_or(head),
        _ => head,
    };
    head.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Searches a workspace's index.
pub fn search(
    ws: &crate::workspace::Workspace,
    query: &str,
    limit: usize,
) -> Result<SearchResults, IndexError> {
    let ix = CaseIndex::open(ws)?;
    search_index(&ix, query, limit)
}

/// The analysed form of a query term (for diagnostics).
pub fn analysed(term: &str) -> Vec<String> {
    analysis::analyse(term)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrite_quotes_pseudonyms_outside_phrases() {
        assert_eq!(rewrite("[CLIENT] boos"), "\"[CLIENT]\" boos");
        assert_eq!(
            rewrite("instelling:[INSTELLING-12]"),
            "instelling:\"[INSTELLING-12]\""
        );
        assert_eq!(rewrite("\"[CLIENT] boos\""), "\"[CLIENT] boos\"");
        assert_eq!(
            rewrite("month:[2021-01 TO 2021-12]"),
            "month:[2021-01 TO 2021-12]"
        );
        assert_eq!(rewrite("[é"), "[é");
        assert_eq!(rewrite("slot AND NOT wlz:VG7"), "slot -wlz:VG7");
        assert_eq!(rewrite("NOT  (a b) c"), "-(a b) c");
        assert_eq!(rewrite("\"NOT x\" KNOT y"), "\"NOT x\" KNOT y");
    }
}
