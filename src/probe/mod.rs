//! Test against hostname: send one real mTLS request with the loaded identity, read what the
//! echo answered, and compare it field by field with what Certlens computed offline.
//!
//! The request goes through reqwest (proxies, HTTP/2, every address, redirects) on a rustls
//! configuration whose hooks keep what reqwest hides: the server's chain, whether the server
//! asked for a client certificate, the CA names and signature schemes it listed, and whether
//! ours was sent.

mod client;
mod compare;
mod compare_edge;
mod echo;
mod error;
mod evidence;
mod live;
mod proxy;
mod remedy;
mod request;
mod resolve;
pub mod tls;

pub use client::{MAX_REDIRECTS, raw_tls_config, send, send_async, send_without_certificate};
pub use compare::{Row, Summary, Verdict, compare, explain_status};
pub use compare_edge::compare_edge;
pub use echo::{Echo, EchoProblem, EchoShape};
pub use error::ProbeError;
pub use live::LiveTest;
pub use proxy::{
    ProxyRoute, ProxySetting, choose as choose_proxy, split_userinfo, without_credentials,
};
pub use remedy::Remedy;
pub use request::{Exchange, Hop, HttpRequest, HttpVersion, Route, ServerTrust, TlsDetails};
pub use resolve::ResolveEntry;
