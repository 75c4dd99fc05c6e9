//! Every output shape in one layer. Typed documents for `fields`, `verify` and `test` (one JSON
//! builder each), the text renderers over them, certificate details, the multi-format report
//! (JSON, Markdown, CSV, HTML), the curl command for a live test, and the escaping each
//! destination needs. The command line, the
//! window and the echo server print through it.

mod audit;
pub mod certificate;
mod chain;
mod cloudflare;
mod curl;
mod edges;
pub mod escape;
mod export;
mod fields;
mod test;
mod text_table;
mod tokens;
mod verify;
mod window;

pub use audit::{AuditDocument, audit_outcome, audit_summary, audit_text};
pub use chain::{CertificateSummary, Source, chain_label};
pub use cloudflare::{
    cloudflare_row_details, cloudflare_row_title, cloudflare_summary, cloudflare_text,
};
pub use curl::{CurlIdentity, PROXY_PASSWORD_VARIABLE, curl_command};
pub use edges::{AspectRows, EdgeRow, EveryEdge, spelling_letter};
pub use export::{Entry, Format, Report, Section};
pub use fields::{FieldsDocument, fields_text, header_lines};
pub use test::{TestDocument, test_text};
pub use tokens::{ModuleDocument, key_presence_text, pin_text, tokens_document, tokens_text};
pub use verify::{VerifyDocument, verify_text};
pub use window::{ChainEntry, FieldRow, Overview, Validity, ValidityState, display_name};
