//! The token permissions each call needs, as the dashboard names them, and the managed
//! transform the forwarding check looks for.

/// The permissions, as the dashboard names them.
pub(super) const ZONE_READ: &str = "Zone: Zone Read";
pub(super) const ACCOUNT_SSL_READ: &str = "Account: SSL and Certificates Read";
pub(super) const ZONE_SSL_READ: &str = "Zone: SSL and Certificates Read";
pub(super) const ACCESS_MTLS_READ: &str = "Access: Mutual TLS Certificates Read";
pub(super) const MANAGED_HEADERS_READ: &str = "Zone: Managed headers Read";
pub(super) const ZONE_WAF_READ: &str = "Zone: Zone WAF Read";
pub(super) const ANY_TOKEN: &str = "a valid token";

/// The id of the managed transform that adds the `cf-cert-*` headers.
pub(super) const CLIENT_CERTIFICATE_HEADERS: &str = "add_client_certificate_headers";
