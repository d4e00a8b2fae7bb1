//! Rule data: the files of `redaction-rules/`, embedded at build time so the binary is
//! self-contained, plus the hash of the whole rule set that every audit event records.
