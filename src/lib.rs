//! dossierkluis: pseudonymise, extract and search Dutch complex-care client dossiers.
//!
//! The crate is organised by stage of the flow in `DESIGN.md` (one module a room):
//! [`crypto`] opens and seals age files in memory, [`intake`] walks the drop folder and
//! drives a document from ciphertext to stored pseudonymised text, [`text`] turns untrusted
//! bytes into text inside an isolated child process, [`pseudo`] finds and replaces personal
//! identifiers, [`research`] reads the research record out of pseudonymised text, [`index`]
//! makes pseudonymised text searchable, [`audit`] keeps the hash-chained log, [`workspace`]
//! owns the on-disk layout and durable writes, and [`cli`] is the thin command-line layer.
//!
//! The invariants every module upholds are listed in `ARCHITECTURE.md`.

pub mod audit;
pub mod cli;
pub mod crypto;
pub mod demo;
pub mod export;
pub mod index;
pub mod intake;
pub mod pseudo;
pub mod research;
pub mod rules;
pub mod text;
pub mod workspace;
