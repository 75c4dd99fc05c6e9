//! Every field of Cloudflare's Rules language, with its type, as `wirefilter-engine` 0.6.1 can
//! declare it; the array and map fields it cannot declare are listed apart, so a rule naming one
//! is reported as such rather than as an unknown name.
//!
//! Source: the field reference at
//! <https://developers.cloudflare.com/ruleset-engine/rules-language/fields/reference/>.

use wirefilter::{Scheme, Type};

use crate::fields::Property;

/// The Rules-language fields with a scalar type, other than `cf.tls_client_auth.*` (which come
/// from [`Property`]). Integers are 32-bit in this engine.
const SCALAR_FIELDS: &[(&str, Type)] = &[
    // Request: URL and headers.
    ("http.host", Type::Bytes),
    ("http.cookie", Type::Bytes),
    ("http.referer", Type::Bytes),
    ("http.user_agent", Type::Bytes),
    ("http.x_forwarded_for", Type::Bytes),
    ("http.request.full_uri", Type::Bytes),
    ("http.request.method", Type::Bytes),
    ("http.request.uri", Type::Bytes),
    ("http.request.uri.path", Type::Bytes),
    ("http.request.uri.path.extension", Type::Bytes),
    ("http.request.uri.query", Type::Bytes),
    ("http.request.version", Type::Bytes),
    ("http.request.timestamp.sec", Type::Int),
    ("http.request.timestamp.msec", Type::Int),
    ("http.request.headers.truncated", Type::Bool),
    ("http.request.body.raw", Type::Bytes),
    ("http.request.body.size", Type::Int),
    ("http.request.body.truncated", Type::Bool),
    ("http.request.body.mime", Type::Bytes),
    ("raw.http.request.full_uri", Type::Bytes),
    ("raw.http.request.uri", Type::Bytes),
    ("raw.http.request.uri.path", Type::Bytes),
    ("raw.http.request.uri.path.extension", Type::Bytes),
    ("raw.http.request.uri.query", Type::Bytes),
    ("ssl", Type::Bool),
    // The client's address and where it is.
    ("ip.src", Type::Ip),
    ("ip.src.asnum", Type::Int),
    ("ip.src.city", Type::Bytes),
    ("ip.src.continent", Type::Bytes),
    ("ip.src.country", Type::Bytes),
    ("ip.src.is_in_european_union", Type::Bool),
    ("ip.src.lat", Type::Bytes),
    ("ip.src.lon", Type::Bytes),
    ("ip.src.metro_code", Type::Bytes),
    ("ip.src.postal_code", Type::Bytes),
    ("ip.src.region", Type::Bytes),
    ("ip.src.region_code", Type::Bytes),
    ("ip.src.subdivision_1_iso_code", Type::Bytes),
    ("ip.src.subdivision_2_iso_code", Type::Bytes),
    ("ip.src.timezone.name", Type::Bytes),
    ("ip.geoip.asnum", Type::Int),
    ("ip.geoip.continent", Type::Bytes),
    ("ip.geoip.country", Type::Bytes),
    ("ip.geoip.is_in_european_union", Type::Bool),
    ("ip.geoip.subdivision_1_iso_code", Type::Bytes),
    ("ip.geoip.subdivision_2_iso_code", Type::Bytes),
    // Cloudflare's own signals.
    ("cf.bot_management.corporate_proxy", Type::Bool),
    ("cf.bot_management.ja3_hash", Type::Bytes),
    ("cf.bot_management.ja4", Type::Bytes),
    ("cf.bot_management.js_detection.passed", Type::Bool),
    ("cf.bot_management.score", Type::Int),
    ("cf.bot_management.static_resource", Type::Bool),
    ("cf.bot_management.verified_bot", Type::Bool),
    ("cf.client.bot", Type::Bool),
    ("cf.edge.server_ip", Type::Ip),
    ("cf.edge.server_port", Type::Int),
    ("cf.hostname.metadata", Type::Bytes),
    ("cf.random_seed", Type::Bytes),
    ("cf.ray_id", Type::Bytes),
    ("cf.threat_score", Type::Int),
    ("cf.tls_cipher", Type::Bytes),
    ("cf.tls_ciphers_sha1", Type::Bytes),
    ("cf.tls_client_extensions_sha1", Type::Bytes),
    ("cf.tls_client_extensions_sha1_le", Type::Bytes),
    ("cf.tls_client_hello_length", Type::Int),
    ("cf.tls_client_random", Type::Bytes),
    ("cf.tls_version", Type::Bytes),
    ("cf.verified_bot_category", Type::Bytes),
    ("cf.waf.auth_detected", Type::Bool),
    ("cf.waf.content_scan.has_failed", Type::Bool),
    ("cf.waf.content_scan.has_malicious_obj", Type::Bool),
    ("cf.waf.content_scan.has_obj", Type::Bool),
    ("cf.waf.content_scan.num_malicious_obj", Type::Int),
    ("cf.waf.content_scan.num_obj", Type::Int),
    ("cf.waf.content_scan.obj_results", Type::Bytes),
    ("cf.waf.credential_check.password_leaked", Type::Bool),
    (
        "cf.waf.credential_check.username_and_password_leaked",
        Type::Bool,
    ),
    ("cf.waf.credential_check.username_leaked", Type::Bool),
    (
        "cf.waf.credential_check.username_password_similar",
        Type::Bool,
    ),
    ("cf.waf.score", Type::Int),
    ("cf.waf.score.class", Type::Bytes),
    ("cf.waf.score.rce", Type::Int),
    ("cf.waf.score.sqli", Type::Int),
    ("cf.waf.score.xss", Type::Int),
    ("cf.worker.upstream_zone", Type::Bytes),
    ("cf.zone.name", Type::Bytes),
    ("cf.zone.plan", Type::Bytes),
    ("cf.api_gateway.auth_id_present", Type::Bool),
    ("cf.api_gateway.fallthrough_detected", Type::Bool),
    ("cf.api_gateway.request_violates_schema", Type::Bool),
    ("cf.llm.prompt.detected", Type::Bool),
    ("cf.llm.prompt.injection_score", Type::Int),
    ("cf.llm.prompt.pii_detected", Type::Bool),
];

/// The fields of array or map type (`http.request.headers["x"]`, `…[*]`): 0.6.1 has neither
/// type, so a rule naming one cannot be parsed.
pub const COLLECTION_FIELDS: &[&str] = &[
    "http.request.accepted_languages",
    "http.request.body.form",
    "http.request.body.form.names",
    "http.request.body.form.values",
    "http.request.body.multipart",
    "http.request.body.multipart.content_dispositions",
    "http.request.body.multipart.content_transfer_encodings",
    "http.request.body.multipart.content_types",
    "http.request.body.multipart.filenames",
    "http.request.body.multipart.names",
    "http.request.body.multipart.values",
    "http.request.cookies",
    "http.request.headers",
    "http.request.headers.names",
    "http.request.headers.values",
    "http.request.jwt.claims",
    "http.request.uri.args",
    "http.request.uri.args.names",
    "http.request.uri.args.values",
    "raw.http.request.uri.args",
    "raw.http.request.uri.args.names",
    "raw.http.request.uri.args.values",
    "cf.bot_management.detection_ids",
    "cf.llm.prompt.pii_categories",
    "cf.waf.credential_check.matched_credentials",
    "cf.waf.content_scan.obj_sizes",
    "cf.waf.content_scan.obj_types",
];

/// The type Cloudflare gives a `cf.tls_client_auth.*` field: the flags are Boolean, the rest
/// strings.
pub fn certificate_field_type(property: Property) -> Type {
    match property {
        Property::CertPresented
        | Property::CertVerified
        | Property::CertRevoked
        | Property::CertRFC9440TooLarge
        | Property::CertChainRFC9440TooLarge => Type::Bool,
        _ => Type::Bytes,
    }
}

/// Every scalar field of the Rules language, with its type.
pub fn all_fields() -> impl Iterator<Item = (&'static str, Type)> {
    Property::ALL
        .iter()
        .map(|&p| (p.rules_field(), certificate_field_type(p)))
        .chain(SCALAR_FIELDS.iter().cloned())
}

/// Cloudflare's scheme: every scalar field.
pub fn cloudflare_scheme() -> Scheme {
    let mut scheme = Scheme::new();
    for (name, ty) in all_fields() {
        // Each name appears once in the tables (a unit test holds them to it).
        let _ = scheme.add_field(name.to_owned(), ty);
    }
    scheme
}

/// The fields `known` accepts, plus `count` Boolean stand-ins (`certlens.unknown_N`) for the
/// comparisons on fields Certlens cannot know.
pub fn restated_scheme(known: impl Fn(&str) -> bool, count: usize) -> Scheme {
    let mut scheme = Scheme::new();
    for (name, ty) in all_fields().filter(|(name, _)| known(name)) {
        let _ = scheme.add_field(name.to_owned(), ty);
    }
    for index in 0..count {
        let _ = scheme.add_field(stand_in(index), Type::Bool);
    }
    scheme
}

/// The name of the `index`th stand-in field.
pub fn stand_in(index: usize) -> String {
    format!("certlens.unknown_{index}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_declared_once() {
        let mut scheme = Scheme::new();
        for (name, ty) in all_fields() {
            assert!(
                scheme.add_field(name.to_owned(), ty).is_ok(),
                "{name} twice"
            );
        }
        for name in COLLECTION_FIELDS {
            assert!(
                !all_fields().any(|(n, _)| n == *name),
                "{name} is a collection"
            );
        }
    }

    #[test]
    fn the_certificate_fields_have_cloudflare_types() {
        let scheme = cloudflare_scheme();
        for expression in [
            "cf.tls_client_auth.cert_verified",
            "cf.tls_client_auth.cert_revoked",
            "cf.tls_client_auth.cert_presented",
            "cf.tls_client_auth.cert_rfc9440_too_large",
            "cf.tls_client_auth.cert_chain_rfc9440_too_large",
            "cf.tls_client_auth.cert_issuer_ski eq \"AB\"",
            "cf.tls_client_auth.cert_serial ne \"01\"",
            "cf.tls_client_auth.cert_fingerprint_sha256 eq \"ab\"",
            "cf.tls_client_auth.cert_subject_dn_legacy contains \"/CN=\"",
            "cf.tls_client_auth.cert_chain_rfc9440 eq \"\"",
            "ip.src in {10.0.0.0/8}",
            "ip.src.asnum in {13335}",
            "cf.bot_management.score lt 30",
        ] {
            assert!(scheme.parse(expression).is_ok(), "{expression}");
        }
        assert!(
            scheme
                .parse("cf.tls_client_auth.cert_verified eq \"x\"")
                .is_err()
        );
    }
}
