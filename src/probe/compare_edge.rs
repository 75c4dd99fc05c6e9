//! The comparison for edges other than Cloudflare and nginx: each value the profile's edge
//! sends, found in the echo by header name (any case), taken out of XFCC or Traefik's info
//! when it travels inside one, decoded where encodings differ, and every difference explained
//! in that edge's terms.

use crate::fields::profiles::{Aspect, EdgeValue, certificates_in, elements, percent_decode};
use crate::fields::{EdgeView, FieldValue, Profile};

use super::compare::{Row, Verdict};
use super::echo::Echo;

/// Compares the echo with `local`'s edge values; `every` holds every profile's view of the
/// same certificate, to name the edge whose spelling an echoed value has.
pub fn compare_edge(local: &EdgeView, every: &[EdgeView], echo: &Echo) -> Vec<Row> {
    local
        .edge
        .values
        .iter()
        .filter_map(|value| row(local.profile, value, every, echo))
        .collect()
}

/// The echoed value: the header, or the part of it the value travels in.
fn echoed_value(profile: Profile, value: &EdgeValue, echo: &Echo) -> Option<String> {
    let header = echo.get(value.header)?;
    let Some(part) = value.part else {
        return Some(header.to_owned());
    };
    let structured = if profile == Profile::Traefik {
        percent_decode(header, true)?
    } else {
        header.to_owned()
    };
    let elements = elements(&structured);
    // Envoy appends its own element last; Traefik lists the leaf first.
    let element = if profile == Profile::Traefik {
        elements.first()
    } else {
        elements.last()
    }?;
    let found: Vec<&str> = element
        .iter()
        .filter(|(key, _)| key.eq_ignore_ascii_case(part))
        .map(|(_, v)| v.as_str())
        .collect();
    (!found.is_empty()).then(|| found.join(","))
}

fn row(profile: Profile, value: &EdgeValue, every: &[EdgeView], echo: &Echo) -> Option<Row> {
    let local = value.value.as_header_value();
    let echoed = echoed_value(profile, value, echo);
    let (verdict, explanation) = match (&local, &echoed) {
        (None, None) => return None,
        (Some(l), Some(e)) if l == e => (Verdict::Match, String::new()),
        (Some(l), Some(e)) if same_certificates(value.aspect, l, e) => (
            Verdict::Match,
            "The same certificate(s), encoded differently from the profile's spelling.".to_owned(),
        ),
        (Some(l), None) if l.is_empty() => (Verdict::Match, String::new()),
        (Some(l), Some(e)) => (Verdict::Mismatch, explain(profile, value, l, e, every)),
        (Some(_), None) => (Verdict::Missing, missing(profile, value)),
        (None, Some(_)) => (
            Verdict::Unexpected,
            match value.value {
                FieldValue::NotComputed(reason) => {
                    format!("Certlens has no value to compare with: {reason}.")
                }
                _ => "Certlens does not compute this value.".to_owned(),
            },
        ),
    };
    Some(Row {
        field: value.label(),
        header: value.header.to_owned(),
        local,
        echoed,
        verdict,
        explanation,
    })
}

fn same_certificates(aspect: Aspect, local: &str, echoed: &str) -> bool {
    matches!(aspect, Aspect::Certificate | Aspect::Chain)
        && certificates_in(local).is_some_and(|l| certificates_in(echoed) == Some(l))
}

/// Why a value is absent, in the edge's own configuration terms.
fn missing(profile: Profile, value: &EdgeValue) -> String {
    let setting = match (profile, value.part) {
        (Profile::Envoy, Some("Cert")) => {
            "Envoy adds Cert only with set_current_client_cert_details.cert: true"
        }
        (Profile::Envoy, Some("Chain")) => {
            "Envoy adds Chain only with set_current_client_cert_details.chain: true"
        }
        (Profile::Envoy, Some("Subject")) => {
            "Envoy adds Subject only with set_current_client_cert_details.subject: true"
        }
        (Profile::Envoy, Some("URI")) => {
            "Envoy adds URI only with set_current_client_cert_details.uri: true"
        }
        (Profile::Envoy, Some("DNS")) => {
            "Envoy adds DNS only with set_current_client_cert_details.dns: true"
        }
        (Profile::Envoy, _) => {
            "Envoy sets x-forwarded-client-cert only with forward_client_cert_details SANITIZE_SET or APPEND_FORWARD, and only for mTLS connections"
        }
        (Profile::Traefik, Some(_)) => {
            "Traefik adds each info field only when its option is on under passTLSClientCert.info"
        }
        (Profile::Traefik, None) => {
            "Traefik adds this header only with passTLSClientCert.pem: true"
        }
        (Profile::HaProxy, _) => {
            "HAProxy sends only the headers an http-request set-header line adds"
        }
        (Profile::Caddy, _) => "Caddy sends only the headers a header_up line adds",
        (Profile::Gcp, _) => {
            "Google Cloud sends only the custom request headers configured on the backend service"
        }
        (Profile::AzureAppGw, _) => {
            "Azure Application Gateway sends only the headers a rewrite rule sets from the server variables"
        }
        (Profile::AwsAlb, _) => {
            "the ALB adds these headers only in verify mode (passthrough mode sends X-Amzn-Mtls-Clientcert alone), and a renamed header needs the same name here"
        }
        (Profile::AwsAlbPassthrough, _) => {
            "the ALB sends X-Amzn-Mtls-Clientcert only in passthrough mode"
        }
        (Profile::CloudFront, _) => {
            "CloudFront sends Validity and Pem only to the origin, not to CloudFront Functions"
        }
        _ => "the edge did not send it",
    };
    format!("The echo does not carry this value: {setting}.")
}

/// How a value spells its aspect, where a few words say it (serials: decimal, hex, colons).
fn spelling(aspect: Aspect, text: &str) -> Option<&'static str> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    match aspect {
        Aspect::Serial if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) => {
            Some("in decimal")
        }
        Aspect::Serial if text.contains(':') => Some("as hex with colons"),
        Aspect::Serial | Aspect::Sha1 | Aspect::Sha256
            if digits.bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            if digits.bytes().any(|b| b.is_ascii_lowercase()) {
                Some("as lower-case hex")
            } else {
                Some("as upper-case hex")
            }
        }
        Aspect::Sha256 => Some("in base64"),
        _ => None,
    }
}

/// Why an echoed value differs: another edge's spelling of the same thing, or another thing.
fn explain(
    profile: Profile,
    value: &EdgeValue,
    local: &str,
    echoed: &str,
    every: &[EdgeView],
) -> String {
    let expected = format!(
        "the {} profile expects {} ({})",
        profile.name(),
        spelling(value.aspect, local).unwrap_or("this spelling"),
        value.basis.detail()
    );
    let others: Vec<(Profile, String)> = every
        .iter()
        .filter(|view| view.profile != profile)
        .filter_map(|view| {
            view.edge
                .values
                .iter()
                .find(|v| {
                    v.aspect == value.aspect && v.value.as_header_value().as_deref() == Some(echoed)
                })
                .map(|v| (view.profile, v.label()))
        })
        .collect();
    if let Some((first, label)) = others.first() {
        let names: Vec<&str> = others.iter().map(|(p, _)| p.title()).collect();
        let how = spelling(value.aspect, echoed)
            .map(|s| format!(" {s}"))
            .unwrap_or_default();
        return format!(
            "The echo has the {}{how}, as {} send{} it ({label}); {} sends it {}. Choose the {} profile to compare like with like, or check which edge really sits in front.",
            value.aspect.title(),
            names.join(" and "),
            if names.len() == 1 { "s" } else { "" },
            profile.title(),
            spelling(value.aspect, local).unwrap_or("another spelling"),
            first.name()
        );
    }
    if value.aspect == Aspect::Verdict {
        return format!(
            "The edge reached another verdict ({echoed}) than Certlens ({local}) with the CA you chose: it trusts another CA, or checks something else (revocation, purpose, depth)."
        );
    }
    if local.eq_ignore_ascii_case(echoed) {
        return format!("The same characters in another case; {expected}.");
    }
    if matches!(value.aspect, Aspect::Certificate | Aspect::Chain) {
        return match (certificates_in(local), certificates_in(echoed)) {
            (Some(l), Some(e)) if l.first() == e.first() => format!("The leaf is the same, but a different set of certificates was sent ({} here, {} echoed).", l.len(), e.len()),
            (_, None) => format!("The echoed value is not a certificate in any encoding Certlens knows; {expected}."),
            _ => "A different certificate reached the edge than the one loaded: check that the client really presents this identity, and that no proxy re-terminates TLS.".to_owned(),
        };
    }
    format!(
        "Not this certificate's {} in any spelling Certlens knows: a different certificate reached the edge, or something between the edge and the echo changed the header; {expected}.",
        value.aspect.title()
    )
}
