//! Whether Cloudflare asks for a client certificate on the hostname: the hostnames associated
//! with the Managed CA and with each uploaded CA.

use super::api::{Api, ApiError};
use super::facts::Target;
use super::model::{HostnameAssociations, MtlsCertificate, Zone};
use super::permissions::{ACCOUNT_SSL_READ, ZONE_SSL_READ};
use super::rows::{Check, Row, Status};
use super::verdict::describe_ca;

/// The CAs associated with the hostname, and the row that says so.
pub(super) struct Hosts {
    /// The Managed CA is associated with it.
    pub managed: bool,
    /// The uploaded CAs associated with it.
    pub uploaded: Vec<MtlsCertificate>,
    /// Some association could not be read.
    pub unknown: bool,
    /// The finding.
    pub row: Row,
}

impl Hosts {
    /// True when Cloudflare asks for a certificate on the hostname.
    pub fn enabled(&self) -> bool {
        self.managed || !self.uploaded.is_empty()
    }
}

/// Reads the associations of the Managed CA and of every uploaded CA of the zone's account.
pub(super) async fn hosts(api: &Api, zone: &Zone, target: &Target) -> Hosts {
    let account = &zone.account.id;
    let mtls_certificates = api
        .get::<Vec<MtlsCertificate>>(
            &format!("accounts/{account}/mtls_certificates"),
            &[],
            ACCOUNT_SSL_READ,
        )
        .await;
    let associations_path = format!(
        "zones/{}/certificate_authorities/hostname_associations",
        zone.id
    );
    let managed = api
        .get::<HostnameAssociations>(&associations_path, &[], ZONE_SSL_READ)
        .await
        .map(|a| a.hostnames.unwrap_or_default());
    let mut uploaded: Vec<(MtlsCertificate, Result<Vec<String>, ApiError>)> = Vec::new();
    if let Ok(list) = &mtls_certificates {
        for ca in list.iter().filter(|c| c.ca) {
            let hosts = api
                .get::<HostnameAssociations>(
                    &associations_path,
                    &[("mtls_certificate_id", ca.id.clone())],
                    ZONE_SSL_READ,
                )
                .await
                .map(|a| a.hostnames.unwrap_or_default());
            uploaded.push((ca.clone(), hosts));
        }
    }
    let managed_on = managed
        .as_ref()
        .is_ok_and(|hosts| covers(hosts, &target.host));
    let uploaded_on: Vec<&MtlsCertificate> = uploaded
        .iter()
        .filter(|(_, hosts)| hosts.as_ref().is_ok_and(|h| covers(h, &target.host)))
        .map(|(ca, _)| ca)
        .collect();
    let associations_unknown = managed.is_err()
        || mtls_certificates.is_err()
        || uploaded.iter().any(|(_, hosts)| hosts.is_err());
    let enabled = managed_on || !uploaded_on.is_empty();
    let row = if enabled {
        let mut row = Row::new(
            Check::MtlsEnabled,
            Status::Pass,
            "mtls-enabled",
            format!(
                "Cloudflare asks for a client certificate on {}",
                target.host
            ),
        );
        if managed_on {
            row.evidence
                .push("associated with the Cloudflare Managed CA".to_owned());
        }
        for ca in &uploaded_on {
            row.evidence.push(format!(
                "associated with the uploaded CA {}",
                describe_ca(ca)
            ));
        }
        row
    } else if associations_unknown {
        let (permission, call) = match (&managed, &mtls_certificates) {
            (Err(_), _) => (ZONE_SSL_READ, format!("/{associations_path}")),
            (_, Err(_)) => (
                ACCOUNT_SSL_READ,
                format!("/accounts/{account}/mtls_certificates"),
            ),
            _ => (ZONE_SSL_READ, format!("/{associations_path}")),
        };
        let mut row = Row::permission_missing(Check::MtlsEnabled, permission, &call);
        if let Some(error) = [managed.as_ref().err(), mtls_certificates.as_ref().err()]
            .into_iter()
            .flatten()
            .find(|e| !matches!(e, ApiError::PermissionMissing { .. }))
        {
            row.code = "not-checked";
            row.summary = format!("not checked: {error}");
            row.permission = None;
            row.fix = None;
        }
        row
    } else {
        Row::new(
                Check::MtlsEnabled,
                Status::Fail,
                "mtls-not-enabled",
                format!(
                    "{} is associated with no CA: Cloudflare never asks for a client certificate there, so the application sees certPresented \"0\" and certVerified \"NONE\"",
                    target.host
                ),
            )
            .with_evidence(format!(
                "Managed CA hosts: {}",
                list_or_none(managed.as_deref().unwrap_or_default())
            ))
            .with_evidence(format!(
                "{} uploaded CA(s): {}",
                uploaded.len(),
                uploaded
                    .iter()
                    .map(|(ca, hosts)| format!(
                        "{}: {}",
                        describe_ca(ca),
                        list_or_none(hosts.as_deref().unwrap_or_default())
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ))
            .with_fix(
                format!("SSL/TLS > Client Certificates > Hosts > Edit: add {}", target.host),
                format!(
                    "PUT /zones/{}/certificate_authorities/hostname_associations with {{\"hostnames\": [… , \"{}\"]}} (and \"mtls_certificate_id\" for an uploaded CA)",
                    zone.id, target.host
                ),
            )
    };
    Hosts {
        managed: managed_on,
        uploaded: uploaded_on.into_iter().cloned().collect(),
        unknown: associations_unknown,
        row,
    }
}

/// True when an association list names the hostname (or a wildcard covering it).
fn covers(hosts: &[String], host: &str) -> bool {
    hosts.iter().any(|entry| {
        let entry = entry.trim_end_matches('.').to_ascii_lowercase();
        match entry.strip_prefix("*.") {
            Some(parent) => host
                .strip_suffix(parent)
                .and_then(|rest| rest.strip_suffix('.'))
                .is_some_and(|label| !label.is_empty() && !label.contains('.')),
            None => entry == host,
        }
    })
}

fn list_or_none(hosts: &[String]) -> String {
    if hosts.is_empty() {
        "none".to_owned()
    } else {
        hosts.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn associations_name_the_host_or_a_wildcard_over_it() {
        let hosts = vec!["api.example.com".to_owned(), "*.dev.example.com".to_owned()];
        assert!(covers(&hosts, "api.example.com"));
        assert!(covers(&hosts, "x.dev.example.com"));
        assert!(!covers(&hosts, "dev.example.com"));
        assert!(!covers(&hosts, "a.b.dev.example.com"));
        assert!(!covers(&hosts, "www.example.com"));
    }
}
