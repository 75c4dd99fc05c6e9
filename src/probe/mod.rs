//! Test against hostname: send one real mTLS request with the loaded identity, read what the
//! echo answered, and compare it field by field with what Certlens computed offline.
//!
//! The request goes through rustls and hyper directly (not reqwest) because the test must
//! report what reqwest hides: the TLS version and cipher, the server's chain, whether the
//! server asked for a client certificate, the CA names it listed, and whether ours was sent.

mod compare;
mod echo;
mod error;
mod live;
mod request;

pub use compare::{Row, Summary, Verdict, compare, explain_status};
pub use echo::{Echo, EchoProblem, EchoShape};
pub use error::ProbeError;
pub use live::LiveTest;
pub use request::{Exchange, HttpRequest, ServerTrust, TlsDetails, send, send_async};
