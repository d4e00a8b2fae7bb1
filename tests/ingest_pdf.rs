//! PDFs through the whole ingest: a PDF with text is stored pseudonymised; a password-protected
//! PDF and a decompression bomb are quarantined with their codes (extraction in the child).

mod common;

use common::*;
use dossierkluis::crypto;
use lopdf::{dictionary, Document, Object, Stream};

/// A one-page PDF whose content stream is `content` (Helvetica as /F1), optionally filtered.
fn pdf(content: Vec<u8>, filter: Option<&str>) -> Document {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let mut sd = dictionary! {};
    if let Some(f) = filter {
        sd.set("Filter", Object::Name(f.as_bytes().to_vec()));
    }
    let content_id = doc.add_object(Stream::new(sd, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
        "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(
            dictionary! { "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1 },
        ),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    doc
}

fn text_content(lines: &[&str]) -> Vec<u8> {
    let mut s = String::new();
    let mut y = 760;
    for l in lines {
        s.push_str(&format!("BT /F1 11 Tf 72 {y} Td ({l}) Tj ET\n"));
        y -= 16;
    }
    s.into_bytes()
}

fn save(doc: &mut Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// Deflate data that inflates to `gib` GiB (one full-flushed block repeated).
fn deflate_bomb(gib: usize) -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    let plain = vec![b' '; 1 << 20];
    let mut comp = Compress::new(Compression::best(), false);
    let mut chunk = Vec::with_capacity(1 << 16);
    comp.compress_vec(&plain, &mut chunk, FlushCompress::Full)
        .unwrap();
    let mut out = vec![0x78, 0x9c];
    for _ in 0..gib * 1024 {
        out.extend_from_slice(&chunk);
    }
    out.extend_from_slice(&[0x03, 0x00, 0, 0, 0, 0]);
    out
}

#[test]
fn pdfs_are_stored_or_quarantined_by_what_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let ws = new_ws(dir.path());
    let ws = set_setting(&ws, "memory_mb", "256");
    let ws = set_setting(&ws, "wall_seconds", "20");
    let r = ws.recipient().unwrap();

    let good = save(&mut pdf(
        text_content(&[
            "Rapportage woongroep",
            "Client: Maartje Ploegsma, geboren 03-09-1987.",
            "Maartje Ploegsma was onrustig na een wisseling van begeleiders.",
        ]),
        None,
    ));
    let mut locked = pdf(text_content(&["Vertrouwelijk: Maartje Ploegsma"]), None);
    locked.trailer.set(
        "ID",
        vec![
            Object::string_literal(b"0123456789abcdef".to_vec()),
            Object::string_literal(b"0123456789abcdef".to_vec()),
        ],
    );
    let state = lopdf::EncryptionState::try_from(lopdf::EncryptionVersion::V2 {
        document: &locked,
        owner_password: "eigenaar",
        user_password: "wachtwoord",
        key_length: 128,
        permissions: lopdf::Permissions::all(),
    })
    .unwrap();
    locked.encrypt(&state).unwrap();
    let locked = save(&mut locked);
    let bomb = save(&mut pdf(deflate_bomb(2), Some("FlateDecode")));

    seal_into(&ws, "PDF-1", "rapportage.pdf.age", &good);
    let c_locked = crypto::seal(&r, &locked).unwrap();
    put(&ws, "PDF-1", "beveiligd.pdf.age", &c_locked);
    let c_bomb = crypto::seal(&r, &bomb).unwrap();
    put(&ws, "PDF-1", "bom.pdf.age", &c_bomb);

    let start = std::time::Instant::now();
    let s = ingest(&ws);
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
    assert_eq!((s.processed, s.quarantined), (1, 2), "{s}");

    let text = stored_text(&ws);
    assert!(text.contains("wisseling van begeleiders"), "{text}");
    assert!(
        !text.contains("Ploegsma") && !text.contains("Maartje"),
        "{text}"
    );

    let codes: std::collections::BTreeMap<String, String> =
        quarantine_codes(&ws).into_iter().collect();
    assert_eq!(codes[&crypto::sha256_hex(&c_locked)], "encrypted_pdf");
    let bomb_code = codes[&crypto::sha256_hex(&c_bomb)].as_str();
    assert!(
        matches!(
            bomb_code,
            "resource_limit" | "extract_crashed" | "extract_timeout" | "too_large"
        ),
        "{bomb_code}"
    );
    let events = dossierkluis::audit::read_events(&ws.audit_log_path()).unwrap();
    assert!(events
        .iter()
        .any(|e| e["kind"] == "extracted" && e["doc_kind"] == "pdf" && e["pages"] == 1));
}
