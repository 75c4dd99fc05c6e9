//! The cloud load balancers (AWS ALB, CloudFront, Google Cloud, Azure Application Gateway) and
//! the RFC 9440 headers. None of these edges can run here, so every spelling rests on the
//! vendor's documentation and says what the documentation leaves open.

use crate::certificate::hex;
use crate::fields::{FieldValue, NO_VERDICT};
use crate::notation::{TlsLibrary, format_serial, format_time};

use super::encode::{base64, byte_sequence, colon_hex_lower, magnitude, pem_aws};
use super::go_x509::GoSans;
use super::{Aspect, Basis, EdgeOutput, EdgeValue, Inputs};
use crate::certificate::Instant;

const ALB_DOC: &str = "AWS Elastic Load Balancing guide, \"Mutual authentication with TLS in Application Load Balancer\"";

/// OpenSSL's `X509_V_ERR_INVALID_PURPOSE`: the chain is not for TLS clients.
const X509_V_ERR_INVALID_PURPOSE: u32 = 26;

/// Upper-case hex of the serial's magnitude, `-` before a negative one.
fn signed_upper_hex(content: &[u8]) -> String {
    let sign = if content.first().is_some_and(|b| b & 0x80 != 0) {
        "-"
    } else {
        ""
    };
    format!("{sign}{}", hex::upper(&magnitude(content)))
}

/// `NotBefore=2023-09-21T01:50:17Z;NotAfter=2024-09-20T01:50:17Z`.
fn aws_validity(inputs: &Inputs<'_>) -> FieldValue {
    match (inputs.leaf.not_before(), inputs.leaf.not_after()) {
        (Some(start), Some(end)) => FieldValue::Text(format!(
            "NotBefore={};NotAfter={}",
            start.to_rfc3339(),
            end.to_rfc3339()
        )),
        _ => FieldValue::NotComputed("a validity date cannot be read"),
    }
}

/// AWS Application Load Balancer in verify mode: `X-Amzn-Mtls-Clientcert-*`.
pub(super) fn aws_alb(inputs: &Inputs<'_>) -> EdgeOutput {
    let serial = signed_upper_hex(inputs.leaf.serial_content());
    EdgeOutput::plain(vec![
        EdgeValue::text(
            "X-Amzn-Mtls-Clientcert-Serial-Number",
            Aspect::Serial,
            serial,
            Basis::Documentation(
                "AWS's example `03A5B1`: upper-case hex without colons; how a leading zero byte or a negative serial is shown is unconfirmed",
            ),
        ),
        EdgeValue::text(
            "X-Amzn-Mtls-Clientcert-Issuer",
            Aspect::Issuer,
            inputs.issuer.rfc2253.clone(),
            Basis::Documentation(
                "RFC 2253, per AWS's example; the escaping of special and non-ASCII characters is unconfirmed",
            ),
        ),
        EdgeValue::text(
            "X-Amzn-Mtls-Clientcert-Subject",
            Aspect::Subject,
            inputs.subject.rfc2253.clone(),
            Basis::Documentation(
                "RFC 2253, per AWS's example; the escaping of special and non-ASCII characters is unconfirmed",
            ),
        ),
        EdgeValue::new(
            "X-Amzn-Mtls-Clientcert-Validity",
            Aspect::Validity,
            aws_validity(inputs),
            Basis::Documentation(ALB_DOC),
        ),
        EdgeValue::text(
            "X-Amzn-Mtls-Clientcert-Leaf",
            Aspect::Certificate,
            pem_aws(&inputs.pem()),
            Basis::Documentation(
                "URL-encoded PEM: space as %20, newline as %0A, + = / left as they are (AWS's description)",
            ),
        ),
    ])
}

/// AWS Application Load Balancer in passthrough mode: the whole chain in one header.
pub(super) fn aws_alb_passthrough(inputs: &Inputs<'_>) -> EdgeOutput {
    EdgeOutput::plain(vec![EdgeValue::text(
        "X-Amzn-Mtls-Clientcert",
        Aspect::Chain,
        pem_aws(&inputs.pem_with_chain()),
        Basis::Documentation(
            "the chain the client sent, leaf first, as URL-encoded PEM (AWS's description)",
        ),
    )])
}

/// Amazon CloudFront viewer mTLS: `CloudFront-Viewer-Cert-*`.
pub(super) fn cloudfront(inputs: &Inputs<'_>) -> EdgeOutput {
    const DOC: Basis = Basis::Documentation("CloudFront developer guide, \"viewer mTLS headers\"");
    EdgeOutput::plain(vec![
        EdgeValue::text(
            "CloudFront-Viewer-Cert-Present",
            Aspect::Presented,
            "1".into(),
            DOC,
        ),
        EdgeValue::text(
            "CloudFront-Viewer-Cert-Serial-Number",
            Aspect::Serial,
            colon_hex_lower(&magnitude(inputs.leaf.serial_content())),
            Basis::Documentation(
                "CloudFront's example `4a:3f:5c:92:d1:e8:7b:6c`: lower-case hex with colons; a leading zero byte and negative serials are unconfirmed",
            ),
        ),
        EdgeValue::text(
            "CloudFront-Viewer-Cert-Issuer",
            Aspect::Issuer,
            inputs.issuer.rfc2253.clone(),
            Basis::Documentation(
                "RFC 2253; the escaping of special and non-ASCII characters is unconfirmed",
            ),
        ),
        EdgeValue::text(
            "CloudFront-Viewer-Cert-Subject",
            Aspect::Subject,
            inputs.subject.rfc2253.clone(),
            Basis::Documentation(
                "RFC 2253; the escaping of special and non-ASCII characters is unconfirmed",
            ),
        ),
        EdgeValue::text(
            "CloudFront-Viewer-Cert-Sha256",
            Aspect::Sha256,
            hex::lower(&inputs.leaf.sha256()),
            DOC,
        ),
        EdgeValue::new(
            "CloudFront-Viewer-Cert-Validity",
            Aspect::Validity,
            aws_validity(inputs),
            DOC,
        ),
        EdgeValue::text(
            "CloudFront-Viewer-Cert-Pem",
            Aspect::Certificate,
            pem_aws(&inputs.pem()),
            Basis::Documentation(
                "URL-encoded PEM of the leaf (origin requests only); which characters are encoded is unconfirmed, shown as the ALB encodes them",
            ),
        ),
    ])
}

/// Google's documented caps: a serial over 50 bytes, a DN over 512 bytes and a leaf over 16 KB
/// are sent empty.
const GCP_SERIAL_LIMIT: usize = 50;
const GCP_NAME_LIMIT: usize = 512;
const GCP_LEAF_LIMIT: usize = 16 * 1024;

/// `value`, or nothing when it is longer than `limit` bytes.
fn capped(value: String, limit: usize) -> String {
    if value.len() > limit {
        String::new()
    } else {
        value
    }
}

/// Google Cloud Load Balancing mTLS custom headers, with the header names of Google's example.
pub(super) fn gcp(inputs: &Inputs<'_>) -> EdgeOutput {
    const DOC: Basis = Basis::Documentation(
        "Google Cloud Load Balancing, \"Create custom headers\" (mTLS variables); the header names are the operator's, here those of Google's example",
    );
    let leaf = inputs.leaf;
    let sans = GoSans::of(leaf);
    let spiffe = sans
        .uris
        .iter()
        .find(|u| u.starts_with("spiffe://"))
        .cloned()
        .unwrap_or_default();
    let b64_list = |items: &mut dyn Iterator<Item = &String>| {
        items
            .map(|s| base64(s.as_bytes()))
            .collect::<Vec<_>>()
            .join(",")
    };
    let uris = b64_list(&mut sans.uris.iter().filter(|u| **u != spiffe));
    let dns = b64_list(&mut sans.dns.iter());
    let verdict = inputs.verdict();
    let verified = match verdict {
        Some(v) => FieldValue::Text((v == "SUCCESS").to_string()),
        None => FieldValue::NotComputed(NO_VERDICT),
    };
    let error = match (verdict, inputs.context.failure_code) {
        (None, _) => FieldValue::NotComputed(NO_VERDICT),
        (Some("SUCCESS"), _) => FieldValue::Text(String::new()),
        (Some(_), Some(X509_V_ERR_INVALID_PURPOSE)) => {
            FieldValue::Text("client_cert_chain_invalid_eku".into())
        }
        (Some(_), _) => FieldValue::Text("client_cert_validation_failed".into()),
    };
    let leaf_item = match verdict {
        Some("SUCCESS") => FieldValue::Text(capped(byte_sequence(leaf.der()), GCP_LEAF_LIMIT)),
        Some(_) => FieldValue::Text(String::new()),
        None => FieldValue::NotComputed(NO_VERDICT),
    };
    let date = |instant: Option<Instant>| match instant {
        Some(instant) => FieldValue::Text(instant.to_rfc3339_offset()),
        None => FieldValue::NotComputed("the date cannot be read"),
    };
    let chain = inputs
        .context
        .chain
        .iter()
        .map(|c| byte_sequence(c.der()))
        .collect::<Vec<_>>()
        .join(",");
    EdgeOutput::plain(vec![
        EdgeValue::text(
            "X-Client-Cert-Present",
            Aspect::Presented,
            "true".into(),
            DOC,
        ),
        EdgeValue::new(
            "X-Client-Cert-Chain-Verified",
            Aspect::Verdict,
            verified,
            DOC,
        ),
        EdgeValue::new(
            "X-Client-Cert-Error",
            Aspect::Verdict,
            error,
            Basis::Documentation(
                "the error words are documented; which one Google picks for each failure, and whether several are joined, is unconfirmed",
            ),
        ),
        EdgeValue::text(
            "X-Client-Cert-Hash",
            Aspect::Sha256,
            base64(&leaf.sha256()),
            Basis::Documentation("base64 of the SHA-256, per Google's description"),
        ),
        EdgeValue::text(
            "X-Client-Cert-Serial-Number",
            Aspect::Serial,
            if leaf.serial_content().len() > GCP_SERIAL_LIMIT {
                String::new()
            } else {
                signed_upper_hex(leaf.serial_content())
            },
            Basis::Documentation(
                "the spelling of the serial is not documented: shown as upper-case hex, unconfirmed",
            ),
        ),
        EdgeValue::text("X-Client-Cert-SPIFFE", Aspect::Spiffe, spiffe, DOC),
        EdgeValue::text(
            "X-Client-Cert-URI-SANs",
            Aspect::Uris,
            uris,
            Basis::Documentation(
                "each URI base64-encoded, comma-separated, the SPIFFE ID left out",
            ),
        ),
        EdgeValue::text(
            "X-Client-Cert-DNSName-SANs",
            Aspect::DnsNames,
            dns,
            Basis::Documentation("each DNS name base64-encoded, comma-separated"),
        ),
        EdgeValue::new(
            "X-Client-Cert-Valid-Not-Before",
            Aspect::NotBefore,
            date(leaf.not_before()),
            Basis::Documentation("RFC 3339 with +00:00, per Google's example"),
        ),
        EdgeValue::new(
            "X-Client-Cert-Valid-Not-After",
            Aspect::NotAfter,
            date(leaf.not_after()),
            Basis::Documentation("RFC 3339 with +00:00, per Google's example"),
        ),
        EdgeValue::text(
            "X-Client-Cert-Issuer-Dn",
            Aspect::Issuer,
            capped(base64(leaf.issuer_der()), GCP_NAME_LIMIT),
            Basis::Documentation(
                "base64 of the DER Name, empty over 512 bytes, per Google's description",
            ),
        ),
        EdgeValue::text(
            "X-Client-Cert-Subject-Dn",
            Aspect::Subject,
            capped(base64(leaf.subject_der()), GCP_NAME_LIMIT),
            Basis::Documentation(
                "base64 of the DER Name, empty over 512 bytes, per Google's description",
            ),
        ),
        EdgeValue::new(
            "X-Client-Cert-Leaf",
            Aspect::Certificate,
            leaf_item,
            Basis::Documentation(
                "RFC 9440 byte sequence, only when validation passed, empty over 16 KB",
            ),
        ),
        EdgeValue::text(
            "X-Client-Cert-Chain",
            Aspect::Chain,
            chain,
            Basis::Documentation(
                "RFC 9440 byte sequences without the leaf; the separator (\",\") is unconfirmed",
            ),
        ),
    ])
}

/// Azure Application Gateway's mutual-authentication server variables, put in headers by a
/// rewrite rule. The names and the verdict words are nginx's; the formats are shown as
/// nginx's, which Microsoft does not document.
pub(super) fn azure(inputs: &Inputs<'_>) -> EdgeOutput {
    const NGINX_FORMAT: Basis = Basis::Documentation(
        "the variable is documented; its format is shown as nginx's $ssl_client_* (unconfirmed)",
    );
    let leaf = inputs.leaf;
    let time = |der: &[u8]| format_time(der, TlsLibrary::OpenSsl).into_text();
    let verdict = match inputs.verdict() {
        Some(verdict) => FieldValue::Text(verdict.to_owned()),
        None => FieldValue::NotComputed(NO_VERDICT),
    };
    EdgeOutput::plain(vec![
        EdgeValue::text(
            "X-Client-Cert",
            Aspect::Certificate,
            super::encode::escape_uri_component(&inputs.pem()),
            Basis::Documentation(
                "client_certificate is PEM; how its newlines survive a header is unconfirmed (shown URL-encoded, as nginx's $ssl_client_escaped_cert)",
            ),
        ),
        EdgeValue::text(
            "X-Client-Cert-Fingerprint",
            Aspect::Sha1,
            hex::lower(&leaf.sha1()),
            NGINX_FORMAT,
        ),
        EdgeValue::text(
            "X-Client-Cert-Issuer",
            Aspect::Issuer,
            inputs.issuer.rfc2253.clone(),
            NGINX_FORMAT,
        ),
        EdgeValue::text(
            "X-Client-Cert-Subject",
            Aspect::Subject,
            inputs.subject.rfc2253.clone(),
            NGINX_FORMAT,
        ),
        EdgeValue::text(
            "X-Client-Cert-Serial",
            Aspect::Serial,
            format_serial(leaf.serial_content()),
            NGINX_FORMAT,
        ),
        EdgeValue::text(
            "X-Client-Cert-Start-Date",
            Aspect::NotBefore,
            time(leaf.not_before_der()),
            NGINX_FORMAT,
        ),
        EdgeValue::text(
            "X-Client-Cert-End-Date",
            Aspect::NotAfter,
            time(leaf.not_after_der()),
            NGINX_FORMAT,
        ),
        EdgeValue::new(
            "X-Client-Cert-Verification",
            Aspect::Verdict,
            verdict,
            Basis::Documentation(
                "SUCCESS, FAILED:<reason> or NONE, per Microsoft's documentation; the reasons shown are OpenSSL's",
            ),
        ),
    ])
}

/// RFC 9440: `Client-Cert` and, when the client sent a chain, `Client-Cert-Chain`.
pub(super) fn rfc9440(inputs: &Inputs<'_>) -> EdgeOutput {
    const RFC: Basis =
        Basis::Source("RFC 9440, section 2: RFC 8941 byte sequences, a list for the chain");
    let mut values = vec![EdgeValue::text(
        "Client-Cert",
        Aspect::Certificate,
        byte_sequence(inputs.leaf.der()),
        RFC,
    )];
    if !inputs.context.chain.is_empty() {
        let chain = inputs
            .context
            .chain
            .iter()
            .map(|c| byte_sequence(c.der()))
            .collect::<Vec<_>>()
            .join(", ");
        values.push(EdgeValue::text(
            "Client-Cert-Chain",
            Aspect::Chain,
            chain,
            RFC,
        ));
    }
    EdgeOutput::plain(values)
}
