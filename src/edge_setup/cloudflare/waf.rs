//! The zone's WAF custom rules walked in order for this request, as Cloudflare runs them: the
//! first terminating action ends the walk, `log` does not, `skip` of the current ruleset ends
//! it with the request let through.

use super::model::{Rule, Ruleset};
use super::rows::{Check, Row, Status};
use crate::edge_setup::rules::{Evaluation, Facts, RuleEngine};

/// What the walk needs beyond the rules.
pub struct WalkContext<'a> {
    /// The zone's id (for the fix's API call).
    pub zone_id: &'a str,
    /// The hostname.
    pub host: &'a str,
    /// Whether Cloudflare asks for a certificate on the hostname.
    pub mtls_enabled: bool,
    /// Whether the CA that verifies the certificate is an uploaded one.
    pub byo_ca: bool,
    /// The certificate's issuer SKI, when known (for the pinning advice).
    pub issuer_ski: Option<&'a str>,
    /// Whether the certificate verifies (`cert_verified`).
    pub verified: bool,
}

/// What a rule's action does to the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Effect {
    /// Ends the walk and stops the request (`block`, the challenges an API client cannot
    /// answer).
    Stops,
    /// Ends the walk and lets the request through (`skip` of the current ruleset).
    SkipsTheRest,
    /// Does not end the walk (`log`, `skip` of other phases or products).
    Continues,
}

fn effect(rule: &Rule) -> Effect {
    match rule.action.as_str() {
        "block" | "challenge" | "js_challenge" | "managed_challenge" => Effect::Stops,
        "skip" => {
            let current = rule
                .action_parameters
                .as_ref()
                .and_then(|p| p.get("ruleset"))
                .and_then(|r| r.as_str())
                == Some("current");
            if current {
                Effect::SkipsTheRest
            } else {
                Effect::Continues
            }
        }
        _ => Effect::Continues,
    }
}

/// Fields that pin which certificate passes, beyond "it verified".
const PINNING_FIELDS: &[&str] = &[
    "cf.tls_client_auth.cert_issuer_ski",
    "cf.tls_client_auth.cert_issuer_dn",
    "cf.tls_client_auth.cert_issuer_serial",
    "cf.tls_client_auth.cert_fingerprint_sha256",
    "cf.tls_client_auth.cert_fingerprint_sha1",
    "cf.tls_client_auth.cert_serial",
    "cf.tls_client_auth.cert_ski",
    "cf.tls_client_auth.cert_subject_dn",
];

/// One row per rule that names a `cf.tls_client_auth.*` field or may act on this request, then
/// a closing row when none stops it.
pub fn walk(
    ruleset: &Ruleset,
    engine: &RuleEngine,
    facts: &Facts,
    context: &WalkContext<'_>,
) -> Vec<Row> {
    let mut rows = Vec::new();
    let enabled: Vec<&Rule> = ruleset.rules.iter().filter(|r| r.enabled).collect();
    let naming_mtls = enabled
        .iter()
        .filter(|r| r.expression.contains("cf.tls_client_auth."))
        .count();
    // Set once a rule before might have ended the walk.
    let mut maybe_ended = false;
    let mut ended = false;
    for rule in &enabled {
        let names_mtls = rule.expression.contains("cf.tls_client_auth.");
        let effect = effect(rule);
        let evaluation = engine.evaluate(&rule.expression, facts);
        let mut row = match &evaluation {
            Evaluation::Decided {
                matches: true,
                regardless_of,
            } => {
                let row = match effect {
                    Effect::Stops => {
                        let summary = if maybe_ended {
                            format!(
                                "{} this request, unless a rule above ended the walk first",
                                acts(&rule.action)
                            )
                        } else {
                            format!("{} this request", acts(&rule.action))
                        };
                        let dashboard = if !context.verified
                            && rule.expression.contains("cf.tls_client_auth.cert_verified")
                        {
                            format!(
                                "the rule “{}” refuses certificates that fail verification, as it should: make this one verify (see the rows above), or change the rule (Security > WAF > Custom rules) if it must pass unverified",
                                rule_name(rule)
                            )
                        } else {
                            format!(
                                "Security > WAF > Custom rules > “{}”: change its expression or action",
                                rule_name(rule)
                            )
                        };
                        Row::new(Check::WafRule, Status::Fail, "blocked-by-rule", summary).with_fix(
                            dashboard,
                            format!(
                                "PATCH /zones/{}/rulesets/{}/rules/{}",
                                context.zone_id, ruleset.id, rule.id
                            ),
                        )
                    }
                    Effect::SkipsTheRest => Row::new(
                        Check::WafRule,
                        Status::Pass,
                        "rule-skips",
                        "matches: the remaining custom rules are skipped for this request",
                    ),
                    Effect::Continues => Row::new(
                        Check::WafRule,
                        Status::Pass,
                        "rule-matches",
                        format!(
                            "matches; its action ({}) does not stop the request",
                            rule.action
                        ),
                    ),
                };
                // Nothing after a rule that certainly ends the walk is reached.
                ended = effect != Effect::Continues;
                with_regardless(row, regardless_of)
            }
            Evaluation::Decided {
                matches: false,
                regardless_of,
            } => {
                if !names_mtls {
                    continue;
                }
                with_regardless(
                    Row::new(
                        Check::WafRule,
                        Status::Pass,
                        "rule-passes",
                        "does not match this request",
                    ),
                    regardless_of,
                )
            }
            Evaluation::Depends { on } => {
                if effect == Effect::Continues && !names_mtls {
                    continue;
                }
                let status = if effect == Effect::Continues {
                    Status::Pass
                } else {
                    maybe_ended = true;
                    Status::Unknown
                };
                Row::new(
                    Check::WafRule,
                    status,
                    "rule-depends",
                    format!(
                        "depends on {}: it matches this certificate for some values and not for others (action {})",
                        on.join(", "),
                        rule.action
                    ),
                )
            }
            Evaluation::NotEvaluated { reason } => {
                if effect != Effect::Continues {
                    maybe_ended = true;
                }
                Row::new(
                    Check::WafRule,
                    Status::Unknown,
                    "rule-not-evaluated",
                    format!("not evaluated: {reason}"),
                )
            }
        };
        row.rule_id = Some(rule.id.clone());
        row.evidence.insert(
            0,
            format!(
                "rule {} “{}”, action {}",
                rule.id,
                rule_name(rule),
                rule.action
            ),
        );
        row.evidence
            .insert(1, format!("expression: {}", rule.expression));
        row.advice = advice(rule, context);
        rows.push(row);
        if ended {
            break;
        }
    }
    let stopped = rows.iter().any(|r| r.status != Status::Pass);
    if !stopped {
        let enforces = enabled.iter().any(|r| {
            effect(r) == Effect::Stops
                && (r.expression.contains("cf.tls_client_auth.cert_verified")
                    || r.expression.contains("cf.tls_client_auth.cert_presented"))
        });
        let mut row = Row::new(
            Check::WafRules,
            Status::Pass,
            "no-rule-blocks",
            format!(
                "no custom rule stops this request ({} enabled, {naming_mtls} naming cf.tls_client_auth fields)",
                enabled.len()
            ),
        )
        .with_evidence(format!("ruleset {}", ruleset.id));
        if context.mtls_enabled && !enforces {
            row.advice.push(enforcement_advice(context.host));
        }
        rows.push(row);
    }
    rows
}

/// The advice when no rule stops a request without a verified certificate.
pub fn enforcement_advice(host: &str) -> String {
    format!(
        "no rule stops a request whose certificate failed or that sent none: Cloudflare only records the verdict. Add a custom rule with the expression (http.host in {{\"{host}\"}} and not cf.tls_client_auth.cert_verified) and the action Block"
    )
}

fn with_regardless(mut row: Row, regardless_of: &[String]) -> Row {
    if !regardless_of.is_empty() {
        row.evidence
            .push(format!("the same whatever {} is", regardless_of.join(", ")));
    }
    row
}

fn acts(action: &str) -> String {
    match action {
        "block" => "blocks".to_owned(),
        "managed_challenge" | "challenge" | "js_challenge" => {
            format!("challenges ({action}; a client without a browser cannot answer)")
        }
        other => format!("{other}s"),
    }
}

fn rule_name(rule: &Rule) -> &str {
    if rule.description.is_empty() {
        "(no description)"
    } else {
        &rule.description
    }
}

fn advice(rule: &Rule, context: &WalkContext<'_>) -> Vec<String> {
    let mut advice = Vec::new();
    let expression = &rule.expression;
    if expression.contains("cf.tls_client_auth.cert_verified")
        && !PINNING_FIELDS.iter().any(|f| expression.contains(f))
    {
        let pin = match context.issuer_ski {
            Some(ski) => format!("cf.tls_client_auth.cert_issuer_ski eq \"{ski}\""),
            None => "cf.tls_client_auth.cert_issuer_ski eq \"<the CA's SKI>\"".to_owned(),
        };
        advice.push(format!(
            "this rule checks only that a certificate verified: one from any CA associated with a hostname of the account passes. Pin the issuer: not (cf.tls_client_auth.cert_verified and {pin})"
        ));
    }
    if expression.contains("cf.tls_client_auth.cert_revoked") && context.byo_ca {
        advice.push(
            "the certificate comes from an uploaded CA: Cloudflare checks revocation only for its Managed CA, so cert_revoked stays false here; block revoked certificates by serial or fingerprint".to_owned(),
        );
    }
    advice
}
