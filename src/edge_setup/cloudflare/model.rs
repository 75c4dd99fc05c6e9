//! The shapes of the Cloudflare API responses the setup check reads, parsed leniently (fields
//! the check does not need may be missing or added).

use serde::Deserialize;

/// `GET /user/tokens/verify` (and the account variant).
#[derive(Debug, Clone, Deserialize)]
pub struct TokenStatus {
    /// `active`, `disabled` or `expired`.
    #[serde(default)]
    pub status: String,
}

/// One zone of `GET /zones?name=…`.
#[derive(Debug, Clone, Deserialize)]
pub struct Zone {
    /// The zone's id.
    pub id: String,
    /// The zone's apex name.
    pub name: String,
    /// The account that owns it.
    #[serde(default)]
    pub account: ZoneAccount,
}

/// The account a zone belongs to.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ZoneAccount {
    /// The account's id.
    #[serde(default)]
    pub id: String,
    /// The account's name.
    #[serde(default)]
    pub name: String,
}

/// One entry of `GET /accounts/{id}/mtls_certificates`.
#[derive(Debug, Clone, Deserialize)]
pub struct MtlsCertificate {
    /// Its id (what a hostname association names).
    pub id: String,
    /// True for an uploaded CA (bring your own CA).
    #[serde(default)]
    pub ca: bool,
    /// The certificates, PEM.
    #[serde(default)]
    pub certificates: String,
    /// The name given at upload.
    #[serde(default)]
    pub name: Option<String>,
    /// When it was uploaded (RFC 3339).
    #[serde(default)]
    pub uploaded_on: Option<String>,
}

/// `GET /zones/{id}/certificate_authorities/hostname_associations`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HostnameAssociations {
    /// The hostnames for which the CA is asked for a client certificate.
    #[serde(default)]
    pub hostnames: Option<Vec<String>>,
}

/// One entry of `GET /zones/{id}/client_certificates`: a certificate the Cloudflare Managed CA
/// issued.
#[derive(Debug, Clone, Deserialize)]
pub struct ClientCertificate {
    /// Its id.
    pub id: String,
    /// SHA-256 of its DER, hex.
    #[serde(default)]
    pub fingerprint_sha256: String,
    /// `active`, `revoked`, `pending_revocation` or `pending_reactivation`.
    #[serde(default)]
    pub status: String,
    /// Its subject's common name.
    #[serde(default)]
    pub common_name: Option<String>,
}

/// One entry of `GET /zones/{id}/access/certificates/settings`.
#[derive(Debug, Clone, Deserialize)]
pub struct AccessSetting {
    /// The hostname the setting is for.
    pub hostname: String,
    /// Whether the client certificate is forwarded to the origin.
    #[serde(default)]
    pub client_certificate_forwarding: bool,
}

/// `GET /zones/{id}/managed_headers`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ManagedHeaders {
    /// The managed transforms of request headers.
    #[serde(default)]
    pub managed_request_headers: Vec<ManagedHeader>,
}

/// One managed transform.
#[derive(Debug, Clone, Deserialize)]
pub struct ManagedHeader {
    /// Its id (`add_client_certificate_headers`).
    pub id: String,
    /// Whether it is on.
    #[serde(default)]
    pub enabled: bool,
}

/// A phase entry-point ruleset (`GET /zones/{id}/rulesets/phases/{phase}/entrypoint`).
#[derive(Debug, Clone, Deserialize)]
pub struct Ruleset {
    /// The ruleset's id.
    pub id: String,
    /// Its rules, in the order they run.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// One rule of a ruleset.
#[derive(Debug, Clone, Deserialize)]
pub struct Rule {
    /// The rule's id.
    pub id: String,
    /// `block`, `challenge`, `js_challenge`, `managed_challenge`, `log`, `skip`, …
    #[serde(default)]
    pub action: String,
    /// The Rules-language expression.
    #[serde(default)]
    pub expression: String,
    /// What the user called it.
    #[serde(default)]
    pub description: String,
    /// Disabled rules do not run.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    /// For `skip`: what it skips.
    #[serde(default)]
    pub action_parameters: Option<serde_json::Value>,
}

fn enabled_by_default() -> bool {
    true
}
