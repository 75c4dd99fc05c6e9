//! The setup check itself: the calls, in the order a person would make them, each turned into
//! a row.

use std::time::Duration;

use serde::Serialize;

use super::api::{Api, ApiError};
use super::facts::{self, Presented, Target};
use super::forwarding::forwarding_row;
use super::hosts::hosts;
use super::model::{ClientCertificate, MtlsCertificate, Ruleset, TokenStatus, Zone};
use super::permissions::{ANY_TOKEN, ZONE_READ, ZONE_SSL_READ, ZONE_WAF_READ};
use super::rows::{Check, Row, Status, Verdict};
use super::token::ApiToken;
use super::verdict::{chain_row, latest, revocation_row, verdict};
use super::waf::{self, WalkContext};
use crate::assess::Trust;
use crate::edge_setup::rules::RuleEngine;
use crate::fields::{FieldValue, Profile, Property};
use crate::identity::Identity;
/// What to check.
#[derive(Debug, Clone)]
pub struct SetupRequest<'a> {
    /// The URL the client calls (https).
    pub url: &'a str,
    /// The path to evaluate the rules for, instead of the URL's.
    pub path: Option<&'a str>,
    /// The identity.
    pub identity: &'a Identity,
    /// The application is a Worker: the certificate need not be forwarded to an origin.
    pub behind_worker: bool,
    /// The API's base URL.
    pub api_base: &'a str,
    /// How long one call may take.
    pub timeout: Duration,
}

/// Why the check could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// The URL is not an https URL with a hostname.
    #[error("{url} is not an https:// URL with a hostname")]
    InvalidUrl {
        /// What was given.
        url: String,
    },
    /// The token is not active.
    #[error("the API token is {status}")]
    TokenInactive {
        /// `disabled` or `expired`.
        status: String,
    },
    /// A call every other depends on failed.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The check's own machinery failed.
    #[error("the check could not run: {0}")]
    Runtime(String),
}

/// The zone that covers the hostname.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ZoneSummary {
    /// Its id.
    pub id: String,
    /// Its apex name.
    pub name: String,
    /// The account's id.
    pub account_id: String,
}

/// What the check found.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SetupCheck {
    /// The hostname checked.
    pub host: String,
    /// The path the rules were evaluated for.
    pub path: String,
    /// The zone, when found.
    pub zone: Option<ZoneSummary>,
    /// `certVerified` as Cloudflare would set it for this identity on this hostname (`NONE`
    /// when it does not ask for a certificate), when it could be told.
    pub cert_verified: Option<String>,
    /// The findings, in order.
    pub rows: Vec<Row>,
    /// The conclusion.
    pub verdict: Verdict,
}

/// Runs the check (blocking; it makes its own runtime).
pub fn check(request: &SetupRequest<'_>, token: ApiToken) -> Result<SetupCheck, SetupError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| SetupError::Runtime(e.to_string()))?;
    runtime.block_on(check_async(request, token))
}

/// Runs the check on the caller's runtime.
pub async fn check_async(
    request: &SetupRequest<'_>,
    token: ApiToken,
) -> Result<SetupCheck, SetupError> {
    let target = target(request)?;
    let api = Api::new(request.api_base, token, request.timeout)?;
    let mut rows = Vec::new();

    let user_token = match api
        .get::<TokenStatus>("user/tokens/verify", &[], ANY_TOKEN)
        .await
    {
        Ok(status) if status.status == "active" => Some(()),
        Ok(status) => {
            return Err(SetupError::TokenInactive {
                status: status.status,
            });
        }
        // An account-owned token is verified under its account, known once the zone is.
        Err(
            ApiError::TokenRefused { .. }
            | ApiError::PermissionMissing { .. }
            | ApiError::Refused { .. },
        ) => None,
        Err(error) => return Err(error.into()),
    };

    let zone = match find_zone(&api, &target.host).await {
        Ok(zone) => zone,
        Err(ApiError::PermissionMissing { .. }) if user_token.is_none() => {
            return Err(ApiError::TokenRefused {
                detail: "neither /user/tokens/verify nor /zones accepted it".to_owned(),
            }
            .into());
        }
        Err(error) => return Err(error.into()),
    };
    let Some(zone) = zone else {
        rows.push(
            Row::new(
                Check::Zone,
                Status::Fail,
                "zone-not-found",
                format!("no zone this token can see covers {}", target.host),
            )
            .with_evidence(format!("GET /zones?name=… for each parent of {}", target.host))
            .with_fix(
                "add the domain to Cloudflare (Websites > Add a site), or give the token access to its zone (My Profile > API Tokens > Zone Resources)",
                "GET /zones?name=<apex> must list it",
            ),
        );
        return Ok(finish(target, None, None, rows));
    };
    let account = zone.account.id.clone();
    if user_token.is_none() {
        match api
            .get::<TokenStatus>(&format!("accounts/{account}/tokens/verify"), &[], ANY_TOKEN)
            .await
        {
            Ok(status) if status.status != "active" => {
                return Err(SetupError::TokenInactive {
                    status: status.status,
                });
            }
            _ => {}
        }
    }
    rows.push(
        Row::new(
            Check::Zone,
            Status::Pass,
            "zone-found",
            format!("zone {} covers {}", zone.name, target.host),
        )
        .with_evidence(format!(
            "zone {} ({}), account {} ({})",
            zone.name, zone.id, zone.account.name, account
        )),
    );

    // Which CAs Cloudflare asks a certificate of, on this hostname.
    let associations = hosts(&api, &zone, &target).await;
    let managed_on = associations.managed;
    let uploaded_on: Vec<&MtlsCertificate> = associations.uploaded.iter().collect();
    let associations_unknown = associations.unknown;
    let mtls_enabled = associations.enabled();
    rows.push(associations.row.clone());

    // The dashboard's own certificates: is this one of them, and is it revoked?
    let client_certificates = api
        .list::<ClientCertificate>(
            &format!("zones/{}/client_certificates", zone.id),
            &[("status", "all".to_owned())],
            ZONE_SSL_READ,
        )
        .await;
    let fingerprint = request.identity.leaf.sha256_hex();
    let issued_here = client_certificates.as_ref().ok().map(|list| {
        list.iter()
            .find(|c| c.fingerprint_sha256.eq_ignore_ascii_case(&fingerprint))
            .cloned()
    });
    let revoked = matches!(&issued_here, Some(Some(c)) if c.status != "active");

    // What the edge computes from the certificate alone (the issuer fields from the identity's
    // own chain), and the verdict Cloudflare reaches, with the CA it would use.
    let plain_view = Trust::default()
        .assess(request.identity, Profile::Cloudflare)
        .view;
    let verdict = if mtls_enabled {
        Some(verdict(
            request.identity,
            managed_on,
            issued_here.as_ref(),
            latest(&uploaded_on),
        ))
    } else {
        None
    };
    if let Some(verdict) = &verdict {
        rows.push(chain_row(
            verdict,
            &plain_view,
            &zone,
            &account,
            &target,
            uploaded_on.len(),
        ));
    }

    rows.push(match (&client_certificates, &issued_here) {
        (Err(ApiError::PermissionMissing { .. }), _) => Row::permission_missing(
            Check::Revocation,
            ZONE_SSL_READ,
            &format!("/zones/{}/client_certificates", zone.id),
        ),
        (Err(error), _) => Row::new(Check::Revocation, Status::Unknown, "not-checked", format!("not checked: {error}")),
        (Ok(_), Some(Some(certificate))) => revocation_row(certificate, &zone),
        (Ok(list), _) => Row::new(
            Check::Revocation,
            Status::Pass,
            "not-cloudflare-issued",
            "not a certificate of the Cloudflare Managed CA: the dashboard cannot revoke it, and Cloudflare checks no revocation list for uploaded CAs",
        )
        .with_evidence(format!("{} client certificate(s) in the zone, none with SHA-256 {fingerprint}", list.len())),
    });

    rows.push(forwarding_row(&api, request.behind_worker, &zone, &target).await);

    // The rules, with the fields the edge would compute.
    let view = verdict
        .as_ref()
        .and_then(|v| v.view.as_ref())
        .unwrap_or(&plain_view);
    let presented = if mtls_enabled {
        Presented::Sent {
            view,
            verified: verdict.as_ref().is_some_and(|v| v.verdict == "SUCCESS"),
            revoked,
        }
    } else {
        Presented::NotAsked
    };
    let facts = facts::facts(&target, &presented);
    let ruleset_path = format!(
        "zones/{}/rulesets/phases/http_request_firewall_custom/entrypoint",
        zone.id
    );
    match api.get::<Ruleset>(&ruleset_path, &[], ZONE_WAF_READ).await {
        Ok(ruleset) => {
            let issuer_ski = match view.get(Property::CertIssuerSKI) {
                FieldValue::Text(ski) if !ski.is_empty() => Some(ski.as_str()),
                _ => None,
            };
            let context = WalkContext {
                zone_id: &zone.id,
                host: &target.host,
                mtls_enabled,
                byo_ca: verdict.as_ref().is_some_and(|v| v.uploaded),
                issuer_ski,
                verified: verdict.as_ref().is_some_and(|v| v.verdict == "SUCCESS"),
            };
            rows.extend(waf::walk(&ruleset, &RuleEngine::new(), &facts, &context));
        }
        Err(ApiError::NotFound { .. }) => {
            let mut row = Row::new(
                Check::WafRules,
                Status::Pass,
                "no-custom-rules",
                "the zone has no WAF custom rules: none stops this request",
            )
            .with_evidence(format!("GET /{ruleset_path} answered 404"));
            if mtls_enabled {
                row.advice.push(waf::enforcement_advice(&target.host));
            }
            rows.push(row);
        }
        Err(ApiError::PermissionMissing { .. }) => {
            rows.push(Row::permission_missing(
                Check::WafRules,
                ZONE_WAF_READ,
                &format!("/{ruleset_path}"),
            ));
        }
        Err(error) => rows.push(Row::new(
            Check::WafRules,
            Status::Unknown,
            "not-checked",
            format!("not checked: {error}"),
        )),
    }

    let cert_verified = Some(match &verdict {
        Some(v) => v.verdict.clone(),
        None if associations_unknown => return Ok(finish(target, Some(&zone), None, rows)),
        None => "NONE".to_owned(),
    });
    Ok(finish(target, Some(&zone), cert_verified, rows))
}

fn finish(
    target: Target,
    zone: Option<&Zone>,
    cert_verified: Option<String>,
    rows: Vec<Row>,
) -> SetupCheck {
    SetupCheck {
        verdict: Verdict::of(&rows),
        host: target.host,
        path: target.path,
        zone: zone.map(|z| ZoneSummary {
            id: z.id.clone(),
            name: z.name.clone(),
            account_id: z.account.id.clone(),
        }),
        cert_verified,
        rows,
    }
}

fn target(request: &SetupRequest<'_>) -> Result<Target, SetupError> {
    let invalid = || SetupError::InvalidUrl {
        url: request.url.to_owned(),
    };
    let url = url::Url::parse(request.url).map_err(|_| invalid())?;
    if url.scheme() != "https" {
        return Err(invalid());
    }
    let host = url
        .host_str()
        .ok_or_else(invalid)?
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let (path, query) = match request.path {
        Some(given) => {
            let given = if given.starts_with('/') {
                given.to_owned()
            } else {
                format!("/{given}")
            };
            match given.split_once('?') {
                Some((path, query)) => (path.to_owned(), query.to_owned()),
                None => (given, String::new()),
            }
        }
        None => (
            url.path().to_owned(),
            url.query().unwrap_or_default().to_owned(),
        ),
    };
    Ok(Target { host, path, query })
}

/// The zone whose apex is the hostname or one of its parents.
async fn find_zone(api: &Api, host: &str) -> Result<Option<Zone>, ApiError> {
    let labels: Vec<&str> = host.split('.').collect();
    for start in 0..labels.len().saturating_sub(1) {
        let candidate = labels[start..].join(".");
        let zones = api
            .list::<Zone>("zones", &[("name", candidate.clone())], ZONE_READ)
            .await?;
        if let Some(zone) = zones
            .into_iter()
            .find(|z| z.name.eq_ignore_ascii_case(&candidate))
        {
            return Ok(Some(zone));
        }
    }
    Ok(None)
}
