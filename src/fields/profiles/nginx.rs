//! nginx: its `$ssl_client_*` variables (OpenSSL 3's printing), and the `X-CERT-*` headers an
//! njs echo makes from them.

use crate::certificate::Instant;
use crate::fields::{FieldValue, Property};

use super::encode::escape_uri_component;
use super::{Aspect, Basis, Channel, EdgeOutput, EdgeValue, Inputs, X_CERT_TITLE, x_cert_headers};

const NGINX_BASIS: Basis =
    Basis::Server("nginx (Debian's package) on loopback logs its $ssl_client_* variables");

/// nginx's output: the variables, what each says, and the echo's headers.
pub(super) fn nginx(inputs: &Inputs<'_>) -> EdgeOutput {
    let variables = variables(inputs);
    let values = variables
        .iter()
        .filter_map(|(name, value)| {
            let aspect = match *name {
                "ssl_client_s_dn" => Aspect::Subject,
                "ssl_client_i_dn" => Aspect::Issuer,
                "ssl_client_serial" => Aspect::Serial,
                "ssl_client_fingerprint" => Aspect::Sha1,
                "ssl_client_verify" => Aspect::Verdict,
                "ssl_client_v_start" => Aspect::NotBefore,
                "ssl_client_v_end" => Aspect::NotAfter,
                "ssl_client_escaped_cert" => Aspect::Certificate,
                _ => return None,
            };
            Some(EdgeValue::text(name, aspect, value.clone(), NGINX_BASIS))
        })
        .collect();
    EdgeOutput {
        values,
        headers: x_cert_headers(inputs.properties),
        headers_title: X_CERT_TITLE.to_owned(),
        channels: vec![
            Channel::WorkerProperties(inputs.properties.to_vec()),
            Channel::NginxVariables(variables),
        ],
        refusal: None,
    }
}

/// The `$ssl_client_*` variables (names without the `$`), in nginx's documentation order.
fn variables(inputs: &Inputs<'_>) -> Vec<(&'static str, String)> {
    let property = |wanted: Property| {
        inputs
            .properties
            .iter()
            .find(|(p, _)| *p == wanted)
            .and_then(|(_, value)| match value {
                FieldValue::Text(text) => Some(text.clone()),
                _ => None,
            })
            .unwrap_or_default()
    };
    let not_after = property(Property::CertNotAfter);
    let pem = inputs.leaf.to_pem();
    let mut variables = vec![
        ("ssl_client_s_dn", inputs.subject.rfc2253.clone()),
        ("ssl_client_i_dn", inputs.issuer.rfc2253.clone()),
        ("ssl_client_s_dn_legacy", inputs.subject.legacy.clone()),
        ("ssl_client_i_dn_legacy", inputs.issuer.legacy.clone()),
        ("ssl_client_serial", property(Property::CertSerial)),
        (
            "ssl_client_fingerprint",
            property(Property::CertFingerprintSHA1),
        ),
    ];
    if let Some(verdict) = inputs.verdict() {
        variables.push(("ssl_client_verify", verdict.to_owned()));
    }
    variables.push(("ssl_client_v_start", property(Property::CertNotBefore)));
    if let Some(at) = inputs.context.at {
        // nginx re-parses the printed date; a form it cannot parse leaves the variable empty.
        let remain = Instant::from_printed(&not_after).map(|end| days_remaining(end, at));
        variables.push(("ssl_client_v_end", not_after));
        variables.push(("ssl_client_v_remain", remain.unwrap_or_default()));
    } else {
        variables.push(("ssl_client_v_end", not_after));
    }
    variables.push(("ssl_client_escaped_cert", escape_uri_component(&pem)));
    variables.push(("ssl_client_raw_cert", pem));
    variables
}

/// nginx's `$ssl_client_v_remain`: whole days left, `0` within the last day.
fn days_remaining(end: Instant, now: Instant) -> String {
    if end.unix < now.unix + 86_400 {
        "0".into()
    } else {
        ((end.unix - now.unix) / 86_400).to_string()
    }
}
