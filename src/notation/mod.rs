//! How each TLS library spells a certificate's values: distinguished names, serial numbers and
//! times, byte for byte as BoringSSL or OpenSSL 3 prints them. Both the edge's fields and its
//! verdict are written with these, so they sit below both.

pub(crate) mod dn;
mod oid_names;
mod oid_table;
pub mod serial;
pub(crate) mod time;

pub use dn::{FormattedName, format_name};
pub use oid_names::short_name as attribute_name;
pub use serial::format_serial;
pub use time::{TimeText, format_time};

/// Whose certificate-handling rules a computation follows: the TLS library the edge is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TlsLibrary {
    /// BoringSSL's parsing, printing and `X509_verify_cert` (Cloudflare, Envoy).
    BoringSsl,
    /// OpenSSL 3's parsing, printing and `X509_verify_cert` (nginx, HAProxy).
    OpenSsl,
}

impl TlsLibrary {
    /// The library's name, as a person writes it.
    pub fn name(self) -> &'static str {
        match self {
            TlsLibrary::BoringSsl => "BoringSSL",
            TlsLibrary::OpenSsl => "OpenSSL",
        }
    }
}
