//! The proxies whose source is public: Envoy (BoringSSL), HAProxy (OpenSSL), and the Go ones,
//! Traefik and Caddy (crypto/x509). HAProxy and Caddy also run in the test suite, on loopback,
//! as oracles.

use crate::certificate::Certificate;
use crate::certificate::Instant;
use crate::certificate::der;
use crate::certificate::hex;
use crate::certificate::time::split;
use crate::fields::{FieldValue, NO_VERDICT};
use crate::notation::TlsLibrary;
use crate::notation::dn::{key, legacy_data, parse_name};

use super::encode::{base64, decimal, magnitude, pem_envoy, query_escape};
use super::go_x509::{GoName, GoSans, time_refusal};
use super::{Aspect, Basis, EdgeOutput, EdgeValue, Inputs};

const XFCC: &str = "x-forwarded-client-cert";

/// Envoy's `x-forwarded-client-cert` with `forward_client_cert_details: SANITIZE_SET` and every
/// `set_current_client_cert_details` choice on: `Hash`, `Cert`, `Chain`, `Subject`, `URI`,
/// `DNS` (`ConnectionManagerUtility::mutateXfccRequestHeader`).
pub(super) fn envoy(inputs: &Inputs<'_>) -> EdgeOutput {
    const SOURCE: Basis = Basis::Source(
        "envoyproxy/envoy: conn_manager_utility.cc (mutateXfccRequestHeader) and the TLS connection info (sha256PeerCertificateDigest, urlEncodedPemEncodedPeerCertificate)",
    );
    let sans = GoSans::of(inputs.leaf);
    let hash = hex::lower(&inputs.leaf.sha256());
    let cert = pem_envoy(&inputs.pem());
    let chain = pem_envoy(&inputs.pem_with_chain());
    let subject = inputs.subject.rfc2253.clone();
    let mut header = format!("Hash={hash};Cert=\"{cert}\";Chain=\"{chain}\";Subject=\"{subject}\"");
    if sans.uris.is_empty() {
        header.push_str(";URI=");
    }
    for uri in &sans.uris {
        header.push_str(&format!(";URI={uri}"));
    }
    for dns in &sans.dns {
        header.push_str(&format!(";DNS={dns}"));
    }
    let values = vec![
        EdgeValue::text(XFCC, Aspect::Sha256, hash, SOURCE).in_part("Hash"),
        EdgeValue::text(XFCC, Aspect::Certificate, cert, SOURCE).in_part("Cert"),
        EdgeValue::text(XFCC, Aspect::Chain, chain, SOURCE).in_part("Chain"),
        EdgeValue::text(
            XFCC,
            Aspect::Subject,
            subject,
            Basis::Source("X509_NAME_print_ex with XN_FLAG_RFC2253 in BoringSSL (Envoy's getSubjectFromCertificate), as Cloudflare prints it"),
        )
        .in_part("Subject"),
        EdgeValue::text(XFCC, Aspect::Uris, sans.uris.join(","), SOURCE).in_part("URI"),
        EdgeValue::text(XFCC, Aspect::DnsNames, sans.dns.join(","), SOURCE).in_part("DNS"),
    ];
    EdgeOutput {
        values,
        headers: vec![(XFCC, header)],
        ..EdgeOutput::default()
    }
}

const TRAEFIK_SOURCE: Basis = Basis::Source(
    "traefik/traefik: pkg/middlewares/passtlsclientcert/pass_tls_client_cert.go (every info option on)",
);
const TRAEFIK_CERT: &str = "X-Forwarded-Tls-Client-Cert";
const TRAEFIK_INFO: &str = "X-Forwarded-Tls-Client-Cert-Info";

/// Why Go's crypto/x509 refuses the certificate, if it does.
fn go_refusal(cert: &Certificate) -> Option<String> {
    GoName::parse(cert.subject_der())
        .and_then(|_| GoName::parse(cert.issuer_der()))
        .err()
        .or_else(|| time_refusal(cert.not_before_der()))
        .or_else(|| time_refusal(cert.not_after_der()))
}

/// Traefik's info for one certificate: `Subject="…";Issuer="…";SerialNumber="…";NB="…";NA="…";SAN="…"`.
fn traefik_info(cert: &Certificate) -> Option<Vec<(&'static str, String)>> {
    let subject = GoName::parse(cert.subject_der()).ok()?;
    let issuer = GoName::parse(cert.issuer_der()).ok()?;
    // Go's `uint64(t.Unix())`: a date before 1970 wraps around.
    let unix = |instant: Option<Instant>| instant.map(|t| (t.unix as u64).to_string());
    let mut parts = Vec::new();
    let subject = subject.traefik(true);
    if !subject.is_empty() {
        parts.push(("Subject", subject));
    }
    let issuer = issuer.traefik(false);
    if !issuer.is_empty() {
        parts.push(("Issuer", issuer));
    }
    parts.push(("SerialNumber", decimal(cert.serial_content())));
    parts.push(("NB", unix(cert.not_before())?));
    parts.push(("NA", unix(cert.not_after())?));
    let sans = GoSans::of(cert).traefik_order();
    if !sans.is_empty() {
        parts.push(("SAN", sans.join(",")));
    }
    Some(parts)
}

/// Traefik's PassTLSClientCert middleware with `pem: true` and every info option on.
pub(super) fn traefik(inputs: &Inputs<'_>) -> EdgeOutput {
    let certificates: Vec<&Certificate> = std::iter::once(inputs.leaf)
        .chain(inputs.context.chain.iter())
        .collect();
    if let Some(refusal) = certificates.iter().find_map(|c| go_refusal(c)) {
        return go_refused("traefik", TRAEFIK_CERT, refusal);
    }
    let pem_header = certificates
        .iter()
        .map(|c| base64(c.der()))
        .collect::<Vec<_>>()
        .join(",");
    let infos: Vec<Vec<(&'static str, String)>> = certificates
        .iter()
        .filter_map(|c| traefik_info(c))
        .collect();
    let info = infos
        .iter()
        .map(|parts| {
            parts
                .iter()
                .map(|(k, v)| format!("{k}=\"{v}\""))
                .collect::<Vec<_>>()
                .join(";")
        })
        .collect::<Vec<_>>()
        .join(",");
    let leaf_info = infos.first().cloned().unwrap_or_default();
    let part = |name: &str| {
        leaf_info
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let values = vec![
        EdgeValue::text(
            TRAEFIK_CERT,
            Aspect::Chain,
            pem_header.clone(),
            TRAEFIK_SOURCE,
        ),
        EdgeValue::text(
            TRAEFIK_INFO,
            Aspect::Subject,
            part("Subject"),
            TRAEFIK_SOURCE,
        )
        .in_part("Subject"),
        EdgeValue::text(TRAEFIK_INFO, Aspect::Issuer, part("Issuer"), TRAEFIK_SOURCE)
            .in_part("Issuer"),
        EdgeValue::text(
            TRAEFIK_INFO,
            Aspect::Serial,
            part("SerialNumber"),
            TRAEFIK_SOURCE,
        )
        .in_part("SerialNumber"),
        EdgeValue::text(TRAEFIK_INFO, Aspect::NotBefore, part("NB"), TRAEFIK_SOURCE).in_part("NB"),
        EdgeValue::text(TRAEFIK_INFO, Aspect::NotAfter, part("NA"), TRAEFIK_SOURCE).in_part("NA"),
        EdgeValue::text(TRAEFIK_INFO, Aspect::AltNames, part("SAN"), TRAEFIK_SOURCE).in_part("SAN"),
    ];
    EdgeOutput {
        values,
        headers: vec![
            (TRAEFIK_CERT, pem_header.clone()),
            (TRAEFIK_INFO, query_escape(&info)),
        ],
        ..EdgeOutput::default()
    }
}

/// What a Go edge sends for a certificate its TLS stack refuses: nothing, the handshake fails.
fn go_refused(edge: &str, header: &'static str, refusal: String) -> EdgeOutput {
    EdgeOutput {
        values: vec![EdgeValue::new(
            header,
            Aspect::Certificate,
            FieldValue::NotComputed("Go's crypto/x509 refuses this certificate"),
            Basis::Source("crypto/x509/parser.go"),
        )],
        headers: Vec::new(),
        refusal: Some(format!(
            "the {edge} edge would refuse this certificate: {refusal}"
        )),
        ..EdgeOutput::default()
    }
}

const HAPROXY_SERVER: Basis =
    Basis::Server("HAProxy 2.6 (Debian's package) on loopback forwards its ssl_c_* fetches");

/// HAProxy's own slash form (`ssl_sock_get_dn_oneline`): `/KEY=value` per attribute in DER
/// order, the value's `ASN1_STRING` bytes copied with no escaping, an unknown type as its full
/// dotted OID (`i2t_ASN1_OBJECT` into 128 bytes); empty for an empty name.
fn haproxy_oneline(name_der: &[u8]) -> Vec<u8> {
    let Ok(entries) = parse_name(name_der) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries {
        out.push(b'/');
        let name = match key(entry.oid, TlsLibrary::OpenSsl) {
            (name, true) => name,
            (_, false) => {
                let mut dotted = der::oid_to_string(entry.oid);
                dotted.truncate(127);
                dotted
            }
        };
        out.extend_from_slice(name.as_bytes());
        out.push(b'=');
        out.extend_from_slice(&legacy_data(&entry));
    }
    out
}

/// What HAProxy writes into a header for a fetched value: control characters (tab aside) and
/// DEL as `%XX`; every other byte as it is.
fn haproxy_header_text(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len());
    for &b in bytes {
        if (b < 0x20 && b != b'\t') || b == 0x7F {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        } else {
            out.push(b);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `ssl_sock_get_time`: a UTCTime as encoded if it starts below `5` (2049 or earlier), a
/// GeneralizedTime of the 2000s without its century; empty otherwise.
fn haproxy_time(time_der: &[u8]) -> String {
    match split(time_der) {
        Some((0x17, text)) if text.len() >= 10 && text.as_bytes()[0] < b'5' => text.to_owned(),
        Some((0x18, text)) if text.len() >= 12 && text.starts_with("20") => text[2..].to_owned(),
        _ => String::new(),
    }
}

/// HAProxy with the usual `http-request set-header` lines over its `ssl_c_*` fetches.
pub(super) fn haproxy(inputs: &Inputs<'_>) -> EdgeOutput {
    let leaf = inputs.leaf;
    let verify = match (inputs.verdict(), inputs.context.failure_code) {
        (None, _) => FieldValue::NotComputed(NO_VERDICT),
        (Some("SUCCESS"), _) => FieldValue::Text("0".into()),
        (Some(_), Some(code)) => FieldValue::Text(code.to_string()),
        (Some(_), None) => FieldValue::Text("1".into()),
    };
    EdgeOutput::plain(vec![
        EdgeValue::text(
            "X-SSL-Client-Used",
            Aspect::Presented,
            "1".into(),
            HAPROXY_SERVER,
        ),
        EdgeValue::new(
            "X-SSL-Client-Verify",
            Aspect::Verdict,
            verify,
            Basis::Source(
                "ssl_c_verify: 0, or OpenSSL's X509_V_ERR_* number (haproxy/haproxy src/ssl_sample.c)",
            ),
        ),
        EdgeValue::text(
            "X-SSL-Client-Subject",
            Aspect::Subject,
            haproxy_header_text(&haproxy_oneline(leaf.subject_der())),
            HAPROXY_SERVER,
        ),
        EdgeValue::text(
            "X-SSL-Client-Issuer",
            Aspect::Issuer,
            haproxy_header_text(&haproxy_oneline(leaf.issuer_der())),
            HAPROXY_SERVER,
        ),
        EdgeValue::text(
            "X-SSL-Client-Subject-RFC2253",
            Aspect::Subject,
            haproxy_header_text(inputs.subject.rfc2253.as_bytes()),
            HAPROXY_SERVER,
        ),
        EdgeValue::text(
            "X-SSL-Client-Issuer-RFC2253",
            Aspect::Issuer,
            haproxy_header_text(inputs.issuer.rfc2253.as_bytes()),
            HAPROXY_SERVER,
        ),
        EdgeValue::text(
            "X-SSL-Client-Serial",
            Aspect::Serial,
            hex::upper(&magnitude(leaf.serial_content())),
            HAPROXY_SERVER,
        ),
        EdgeValue::text(
            "X-SSL-Client-SHA1",
            Aspect::Sha1,
            hex::upper(&leaf.sha1()),
            HAPROXY_SERVER,
        ),
        EdgeValue::text(
            "X-SSL-Client-Not-Before",
            Aspect::NotBefore,
            haproxy_time(leaf.not_before_der()),
            HAPROXY_SERVER,
        ),
        EdgeValue::text(
            "X-SSL-Client-Not-After",
            Aspect::NotAfter,
            haproxy_time(leaf.not_after_der()),
            HAPROXY_SERVER,
        ),
        EdgeValue::text(
            "X-SSL-Client-Cert",
            Aspect::Certificate,
            base64(leaf.der()),
            HAPROXY_SERVER,
        ),
    ])
}

/// Go's `fmt.Sprint` of a string slice, as Caddy's replacer prints one: `[a b]`.
fn go_list(items: &[String]) -> String {
    format!("[{}]", items.join(" "))
}

const CADDY_SERVER: Basis = Basis::Server(
    "Caddy 2.6 (Debian's package) on loopback forwards its {http.request.tls.client.*} placeholders",
);

/// Caddy with `header_up` lines over its `{http.request.tls.client.*}` placeholders.
pub(super) fn caddy(inputs: &Inputs<'_>) -> EdgeOutput {
    let leaf = inputs.leaf;
    if let Some(refusal) = go_refusal(leaf) {
        return go_refused("caddy", "X-Client-Cert-Der", refusal);
    }
    // Go's `Header.Write` trims each value (`textproto.TrimString`).
    let name = |der: &[u8]| {
        GoName::parse(der)
            .map(|n| n.string().trim_matches([' ', '\t', '\r', '\n']).to_owned())
            .unwrap_or_default()
    };
    let sans = GoSans::of(leaf);
    let mut output = EdgeOutput::plain(vec![
        EdgeValue::text(
            "X-Client-Cert-Fingerprint",
            Aspect::Sha256,
            hex::lower(&leaf.sha256()),
            CADDY_SERVER,
        ),
        EdgeValue::text(
            "X-Client-Cert-Serial",
            Aspect::Serial,
            decimal(leaf.serial_content()),
            CADDY_SERVER,
        ),
        EdgeValue::text(
            "X-Client-Cert-Subject",
            Aspect::Subject,
            name(leaf.subject_der()),
            CADDY_SERVER,
        ),
        EdgeValue::text(
            "X-Client-Cert-Issuer",
            Aspect::Issuer,
            name(leaf.issuer_der()),
            CADDY_SERVER,
        ),
        EdgeValue::text(
            "X-Client-Cert-Der",
            Aspect::Certificate,
            base64(leaf.der()),
            CADDY_SERVER,
        ),
        EdgeValue::text(
            "X-Client-Cert-Dns-Names",
            Aspect::DnsNames,
            go_list(&sans.dns),
            CADDY_SERVER,
        ),
        EdgeValue::text(
            "X-Client-Cert-Emails",
            Aspect::Emails,
            go_list(&sans.emails),
            CADDY_SERVER,
        ),
    ]);
    // `httpguts.ValidHeaderFieldValue`: a control character other than tab fails the request.
    if let Some((header, _)) = output
        .headers
        .iter()
        .find(|(_, value)| value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7F))
    {
        output.refusal = Some(format!(
            "the caddy edge would fail the request (502): Go's HTTP client refuses to send the {header} value, which holds a control character"
        ));
    }
    output
}
