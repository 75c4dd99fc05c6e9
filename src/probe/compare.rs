//! The side-by-side comparison: one row per field, a verdict, and an explanation written for a
//! person whenever the two sides are not the same.

use serde::Serialize;

use crate::fields::profiles::Channel;
use crate::fields::{EdgeView, Property, X_CERT_HEADERS};

use super::echo::{Echo, EchoShape};

/// How one field compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Byte for byte equal.
    Match,
    /// Both present, different.
    Mismatch,
    /// Computed locally, absent from the echo.
    Missing,
    /// Echoed, but Certlens has no value for it.
    Unexpected,
}

impl Verdict {
    /// The verdict's word, as in JSON (`match`, `mismatch`, `missing`, `unexpected`).
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Match => "match",
            Verdict::Mismatch => "mismatch",
            Verdict::Missing => "missing",
            Verdict::Unexpected => "unexpected",
        }
    }
}

/// One row of the comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// The property or variable (`certSubjectDN`, `ssl_client_serial`).
    pub field: String,
    /// The header or key it travels in (`X-CERT-SUBJECT-DN`).
    pub header: String,
    /// What Certlens computed.
    pub local: Option<String>,
    /// What the echo said.
    pub echoed: Option<String>,
    /// How they compare.
    pub verdict: Verdict,
    /// Why they differ, and what to do (empty for a match).
    pub explanation: String,
}

/// Counts per verdict.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Summary {
    /// Rows that match.
    #[serde(rename = "match")]
    pub matched: usize,
    /// Rows that differ.
    pub mismatch: usize,
    /// Rows missing from the echo.
    pub missing: usize,
    /// Rows only in the echo.
    pub unexpected: usize,
}

impl Summary {
    /// Counts `rows`.
    pub fn of(rows: &[Row]) -> Self {
        let mut summary = Self::default();
        for row in rows {
            match row.verdict {
                Verdict::Match => summary.matched += 1,
                Verdict::Mismatch => summary.mismatch += 1,
                Verdict::Missing => summary.missing += 1,
                Verdict::Unexpected => summary.unexpected += 1,
            }
        }
        summary
    }

    /// True when nothing is mismatched or missing.
    pub fn is_clean(&self) -> bool {
        self.mismatch == 0 && self.missing == 0
    }

    /// `9 match · 0 mismatch · 0 missing · 0 unexpected`, as every output words the counts.
    pub fn counts_line(&self) -> String {
        format!(
            "{} match · {} mismatch · {} missing · {} unexpected",
            self.matched, self.mismatch, self.missing, self.unexpected
        )
    }
}

const DOCUMENTED_WORKER_TYPO: &str = "The echo Worker from Cloudflare's documentation reads tlsClientAuth.certVerify, which does not exist (the property is certVerified), so JSON.stringify silently drops X-CERT-VERIFY. Deploy the echo Worker that comes with Certlens (echo-worker.js, in /usr/share/certlens once installed), which reads certVerified.";
const NO_CERTIFICATE: &str = "The edge saw no client certificate (these are the placeholder values): mTLS is not enabled for this hostname, the certificate was not requested, or a resumed TLS session skipped it. In Cloudflare, add the hostname under SSL/TLS → Client Certificates → Hosts.";

/// Compares `local` (what Certlens computed for the certificate sent) with `echo`.
/// `other` is the same certificate under the other profile, to recognise its formatting.
pub fn compare(local: &EdgeView, other: &EdgeView, echo: &Echo) -> Vec<Row> {
    let Some(problem) = &echo.problem else {
        return rows(local, other, echo);
    };
    // Nothing can be compared: every field is missing, with the reason.
    X_CERT_HEADERS
        .iter()
        .map(|(header, property)| Row {
            field: property.name().to_owned(),
            header: (*header).to_owned(),
            local: local.get(*property).as_header_value(),
            echoed: None,
            verdict: Verdict::Missing,
            explanation: problem.0.clone(),
        })
        .collect()
}

fn rows(local: &EdgeView, other: &EdgeView, echo: &Echo) -> Vec<Row> {
    let mut rows = Vec::new();
    let placeholder = echo
        .get("X-CERT-VERIFY")
        .or_else(|| echo.get("certVerified"))
        == Some("NONE")
        || echo.get("certPresented") == Some("0");
    let mut push = |field: &str,
                    header: &str,
                    local_value: Option<String>,
                    other_value: Option<String>,
                    echoed: Option<&str>| {
        // A field neither side has was not compared: it gets no row (and no "match").
        if local_value.is_none() && echoed.is_none() {
            return;
        }
        let (verdict, explanation) = judge(
            field,
            local_value.as_deref(),
            other_value.as_deref(),
            echoed,
            placeholder,
            local,
        );
        rows.push(Row {
            field: field.to_owned(),
            header: header.to_owned(),
            local: local_value,
            echoed: echoed.map(str::to_owned),
            verdict,
            explanation,
        });
    };
    if echo.shapes.contains(&EchoShape::XCertHeaders) {
        for (header, property) in X_CERT_HEADERS {
            push(
                property.name(),
                header,
                local.get(*property).as_header_value(),
                other.get(*property).as_header_value(),
                echo.get(header),
            );
        }
    }
    if echo.shapes.contains(&EchoShape::TlsClientAuth) {
        for property in Property::ALL {
            push(
                property.name(),
                property.name(),
                local.get(*property).as_header_value(),
                other.get(*property).as_header_value(),
                echo.get(property.name()),
            );
        }
    }
    if echo.shapes.contains(&EchoShape::Nginx) {
        let local_variables = local.edge.nginx_variables().unwrap_or_default();
        let other_variables = other.edge.nginx_variables().unwrap_or_default();
        // The nginx view's own variables, and the other library's spelling of the same ones.
        let (variables, others) = if local_variables.is_empty() {
            (other_variables, local_variables)
        } else {
            (local_variables, other_variables)
        };
        for (index, (name, value)) in variables.iter().enumerate() {
            let other_value = others.get(index).map(|(_, v)| v).unwrap_or(value);
            let echoed = echo.get(name);
            if echoed.is_some() || !name.ends_with("_cert") {
                push(
                    name,
                    name,
                    Some(value.clone()),
                    Some(other_value.clone()),
                    echoed,
                );
            }
        }
    }
    if echo.shapes.contains(&EchoShape::Forwarded) {
        for (name, value) in forwarded_headers(local)
            .or(forwarded_headers(other))
            .unwrap_or_default()
        {
            push(
                name,
                name,
                Some(value.clone()),
                Some(value.clone()),
                echo.get(name),
            );
        }
    }
    // Echoed X-CERT-* headers Certlens does not know.
    let known: Vec<&str> = X_CERT_HEADERS.iter().map(|(h, _)| *h).collect();
    for key in echo.keys_with_prefix("x-cert-") {
        if !known.iter().any(|k| k.eq_ignore_ascii_case(key)) {
            push(key, key, None, None, echo.get(key));
        }
    }
    rows
}

/// What Cloudflare Access forwards, from whichever view is Cloudflare's.
fn forwarded_headers(view: &EdgeView) -> Option<&[(&'static str, String)]> {
    view.edge.channels.iter().find_map(|channel| match channel {
        Channel::ForwardedHeaders(headers) => Some(headers.as_slice()),
        _ => None,
    })
}

fn judge(
    field: &str,
    local: Option<&str>,
    other: Option<&str>,
    echoed: Option<&str>,
    placeholder: bool,
    view: &EdgeView,
) -> (Verdict, String) {
    match (local, echoed) {
        (Some(l), Some(e)) if l == e => (Verdict::Match, String::new()),
        (Some(l), Some(e)) => match other_wording(field, view, e) {
            // Another revision of the edge's library words the same verdict so.
            Some(other) => (Verdict::Match, other.note.clone()),
            None => (Verdict::Mismatch, explain_mismatch(field, l, e, other, placeholder, view)),
        },
        (Some(_), None) if field == "certVerified" => (Verdict::Missing, DOCUMENTED_WORKER_TYPO.to_owned()),
        (Some(_), None) => (Verdict::Missing, "The echo does not carry this field; add it to the Worker (the echo Worker that comes with Certlens, echo-worker.js, carries every field).".to_owned()),
        (None, Some(_)) if field == "certVerified" => (
            Verdict::Unexpected,
            "Certlens computed no verdict to compare with: choose the CA the hostname trusts.".to_owned(),
        ),
        (None, Some(_)) if field.starts_with("certIssuer") => (
            Verdict::Unexpected,
            "Certlens does not have the issuer certificate: add it to the CA files.".to_owned(),
        ),
        (None, _) => (Verdict::Unexpected, "Certlens does not compute this field.".to_owned()),
    }
}

fn explain_mismatch(
    field: &str,
    local: &str,
    echoed: &str,
    other: Option<&str>,
    placeholder: bool,
    view: &EdgeView,
) -> String {
    if placeholder && (echoed.is_empty() || echoed == "NONE" || echoed == "0") {
        return NO_CERTIFICATE.to_owned();
    }
    if other == Some(echoed) {
        let other_name = if view.profile.name() == "cloudflare" {
            "nginx"
        } else {
            "cloudflare"
        };
        return format!(
            "The echo has the {other_name} profile's formatting; choose the {other_name} profile to compare like with like."
        );
    }
    if is_verdict(field) {
        return explain_verdict(local, echoed);
    }
    if local.eq_ignore_ascii_case(echoed) {
        return "Same hex digits in another case. The edge prints serials and key identifiers in uppercase and fingerprints in lowercase; a value copied from `openssl x509 -fingerprint` is uppercase with colons and never matches a case-sensitive rule.".to_owned();
    }
    if local.eq_ignore_ascii_case(&echoed.replace(':', "")) {
        return "Same hex digits with colons: the edge prints them without separators.".to_owned();
    }
    if echoed.strip_prefix("00") == Some(local) {
        return "The echo pads the serial with a leading 00 (the DER sign byte of a high-bit serial); the edge prints i2a_ASN1_INTEGER's form without it.".to_owned();
    }
    if echoed.replace(", ", ",") == local {
        return "Separators differ: the edge never puts a space after the comma between RDNs."
            .to_owned();
    }
    if is_dn(field) && same_parts(local, echoed) {
        return "The same attributes in another order: RFC 2253 lists RDNs in reverse certificate order (most specific first), the legacy form in certificate order.".to_owned();
    }
    if is_dn(field) && unescape(local) == unescape(echoed) {
        return "The same name with different escaping: the edge escapes , + \" \\ < > ; and every byte outside ASCII as \\XX (so Zürich is Z\\C3\\BCrich).".to_owned();
    }
    if field.contains("Fingerprint")
        || field.contains("FINGER")
        || field.contains("Serial")
        || field.contains("SERIAL")
        || field == "ssl_client_fingerprint"
        || field == "ssl_client_serial"
    {
        return "A different certificate reached the edge than the one loaded: check that the client really presents this identity, and that no proxy in front re-terminates TLS with its own certificate.".to_owned();
    }
    "The values differ.".to_owned()
}

/// Whether `field` carries the verification verdict (`certVerified`, `X-CERT-VERIFY`, nginx's
/// `ssl_client_verify`).
fn is_verdict(field: &str) -> bool {
    field.contains("Verif") || field.ends_with("VERIFY") || field == "ssl_client_verify"
}

/// The other revision's wording of the verdict, when `field` is the verdict and `echoed` is it.
fn other_wording<'a>(
    field: &str,
    view: &'a EdgeView,
    echoed: &str,
) -> Option<&'a crate::verify::OtherWording> {
    view.other_wording
        .as_ref()
        .filter(|other| is_verdict(field) && other.verdict == echoed)
}

fn explain_verdict(local: &str, echoed: &str) -> String {
    if echoed == "NONE" {
        return NO_CERTIFICATE.to_owned();
    }
    let advice = advice(echoed);
    if local == "SUCCESS" {
        return format!(
            "The edge does not trust the certificate with the CA it has, though the CA you chose verifies it: the hostname's mTLS CA is not the one you chose. {advice}"
        );
    }
    if echoed == "SUCCESS" {
        return "The edge trusts the certificate, but not with the CA you chose: it has another CA (or the intermediate) configured.".to_owned();
    }
    format!("The edge and Certlens reached different verdicts; the edge's reason: {advice}")
}

/// What a `FAILED:` reason usually means and what to do about it.
pub fn advice(verdict: &str) -> String {
    let reason = verdict.strip_prefix("FAILED:").unwrap_or(verdict);
    let text = match reason {
        "unable to verify the first certificate" => {
            "the edge could not find the issuer of the certificate: send the intermediate certificate(s) with it, or upload the CA that issued it directly"
        }
        "unable to get local issuer certificate" => {
            "the chain the client sent does not lead to the CA the edge has: upload the right root (or intermediate) CA"
        }
        "unable to get issuer certificate" => {
            "the edge has an intermediate CA but not its root, and does not accept partial chains: upload the root too"
        }
        "self signed certificate" | "self-signed certificate" => {
            "the certificate is self-signed and not uploaded as a CA: upload it as the CA, or use a certificate issued by your CA"
        }
        "certificate has expired" => "the certificate (or one in its chain) has expired: renew it",
        "certificate is not yet valid" => {
            "the certificate is not valid yet: check the clock of the machine that issued it"
        }
        "unsupported certificate purpose" | "unsuitable certificate purpose" => {
            "the certificate is not allowed for TLS client authentication: its extended key usage must include clientAuth"
        }
        "certificate signature failure" => {
            "a signature does not verify: the certificate was altered, or was issued by another key with the same name"
        }
        "invalid CA certificate" => {
            "a certificate in the chain acts as a CA without being one (basicConstraints CA:TRUE missing)"
        }
        _ => "see the verify command's checks for the details",
    };
    format!("{reason}: {text}.")
}

/// A sentence for statuses that mean the echo was not what answered.
pub fn explain_status(status: u16) -> Option<&'static str> {
    Some(match status {
        520 => {
            "520: Cloudflare returns this when a Worker's mTLS binding presents a client certificate to a zone proxied by Cloudflare, and for origin errors it cannot name."
        }
        495 | 496 => {
            "nginx refused the certificate (495: verification failed, 496: none was sent) with ssl_verify_client on."
        }
        400 => {
            "400 from nginx with \"The SSL certificate error\" means ssl_verify_client rejected the certificate."
        }
        401 | 403 => {
            "The request was refused (Cloudflare Access, a WAF rule on cf.tls_client_auth.cert_verified, or the origin): the echo did not run."
        }
        404 => "Nothing is deployed at this path: check the Worker route.",
        301 | 302 | 303 | 307 | 308 => {
            "The server redirected; Certlens does not follow redirects. Test the URL it points to."
        }
        _ => return None,
    })
}

fn is_dn(field: &str) -> bool {
    field.contains("DN") || field.contains("_dn")
}

fn same_parts(a: &str, b: &str) -> bool {
    let split = |s: &str| {
        let mut parts: Vec<String> = s
            .split([',', '/', '+'])
            .filter(|p| !p.is_empty())
            .map(|p| p.trim().to_owned())
            .collect();
        parts.sort();
        parts
    };
    split(a) == split(b)
}

fn unescape(text: &str) -> String {
    text.replace('\\', "")
}
