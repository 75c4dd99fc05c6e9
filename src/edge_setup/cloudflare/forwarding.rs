//! Whether the origin learns of the certificate: Access's client-certificate forwarding for
//! the hostname, or the managed transform that adds the `cf-cert-*` headers.

use super::api::{Api, ApiError};
use super::facts::Target;
use super::model::{AccessSetting, ManagedHeaders, Zone};
use super::permissions::{ACCESS_MTLS_READ, CLIENT_CERTIFICATE_HEADERS, MANAGED_HEADERS_READ};
use super::rows::{Check, Row, Status};

pub(super) async fn forwarding_row(
    api: &Api,
    behind_worker: bool,
    zone: &Zone,
    target: &Target,
) -> Row {
    if behind_worker {
        return Row::new(
            Check::Forwarding,
            Status::Pass,
            "forwarding-not-needed",
            "the application is a Worker: it reads request.cf.tlsClientAuth, nothing needs forwarding",
        );
    }
    let settings_path = format!("zones/{}/access/certificates/settings", zone.id);
    let headers_path = format!("zones/{}/managed_headers", zone.id);
    let forwarding = api
        .get::<Vec<AccessSetting>>(&settings_path, &[], ACCESS_MTLS_READ)
        .await
        .map(|settings| {
            settings.iter().any(|s| {
                s.hostname.eq_ignore_ascii_case(&target.host) && s.client_certificate_forwarding
            })
        });
    let transform = api
        .get::<ManagedHeaders>(&headers_path, &[], MANAGED_HEADERS_READ)
        .await
        .map(|headers| {
            headers
                .managed_request_headers
                .iter()
                .any(|h| h.id == CLIENT_CERTIFICATE_HEADERS && h.enabled)
        });
    let mut on = Vec::new();
    if forwarding == Ok(true) {
        on.push(format!("client certificate forwarding is on for {} (Cf-Client-Cert-Der-Base64, Cf-Client-Cert-Sha256)", target.host));
    }
    if transform == Ok(true) {
        on.push(
            "the managed transform “Add TLS client auth headers” is on (cf-cert-* headers)"
                .to_owned(),
        );
    }
    if !on.is_empty() {
        let mut row = Row::new(
            Check::Forwarding,
            Status::Pass,
            "forwarding-on",
            "the origin learns of the certificate",
        );
        row.evidence = on;
        return row;
    }
    match (&forwarding, &transform) {
        (Ok(false), Ok(false)) => Row::new(
            Check::Forwarding,
            Status::Fail,
            "forwarding-off",
            "the origin learns nothing of the certificate: neither forwarding nor the managed transform is on (a Worker still reads request.cf.tlsClientAuth)",
        )
        .with_evidence(format!("no forwarding setting on for {}", target.host))
        .with_evidence("“Add TLS client auth headers” is off")
        .with_fix(
            "Rules > Settings > Managed Transforms > Add TLS client auth headers; or SSL/TLS > Client Certificates > forward the certificate (accounts with Access)",
            format!(
                "PATCH /zones/{}/managed_headers with {{\"managed_request_headers\": [{{\"id\": \"{CLIENT_CERTIFICATE_HEADERS}\", \"enabled\": true}}]}}, or PUT /zones/{}/access/certificates/settings with {{\"settings\": [{{\"hostname\": \"{}\", \"client_certificate_forwarding\": true, \"china_network\": false}}]}}",
                zone.id, zone.id, target.host
            ),
        ),
        _ => {
            let refused = |error: Option<&ApiError>| {
                matches!(error, Some(ApiError::PermissionMissing { .. }))
            };
            let missing: Vec<(&str, String)> = [
                (refused(forwarding.as_ref().err()), ACCESS_MTLS_READ, &settings_path),
                (refused(transform.as_ref().err()), MANAGED_HEADERS_READ, &headers_path),
            ]
            .into_iter()
            .filter(|(refused, _, _)| *refused)
            .map(|(_, permission, path)| (permission, format!("/{path}")))
            .collect();
            let mut row = match missing.as_slice() {
                [] => Row::new(
                    Check::Forwarding,
                    Status::Unknown,
                    "not-checked",
                    "not checked: the API did not say",
                ),
                [(permission, path)] => Row::permission_missing(Check::Forwarding, permission, path),
                [(first, path), ..] => {
                    let mut row = Row::permission_missing(Check::Forwarding, first, path);
                    row.summary = format!(
                        "not checked: the token lacks {ACCESS_MTLS_READ} and {MANAGED_HEADERS_READ}"
                    );
                    row
                }
            };
            for error in [forwarding.as_ref().err(), transform.as_ref().err()]
                .into_iter()
                .flatten()
                .filter(|e| !matches!(e, ApiError::PermissionMissing { .. }))
            {
                row.evidence.push(error.to_string());
            }
            if forwarding == Ok(false) {
                row.evidence
                    .push(format!("no forwarding setting on for {}", target.host));
            }
            if transform == Ok(false) {
                row.evidence
                    .push("“Add TLS client auth headers” is off".to_owned());
            }
            row
        }
    }
}
