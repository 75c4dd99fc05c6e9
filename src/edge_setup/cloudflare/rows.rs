//! What the setup check found: one row per check, in the order a person would make them, each
//! with its stable code, the evidence and the fix.

use serde::Serialize;

/// Which check a row answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// The API token is valid.
    Token,
    /// A zone of the account covers the hostname.
    Zone,
    /// Cloudflare asks for a client certificate on the hostname.
    MtlsEnabled,
    /// The identity chains to a CA associated with the hostname.
    ChainsToCa,
    /// The certificate's status among the Managed CA's certificates.
    Revocation,
    /// The certificate reaches the origin (forwarding or the managed transform).
    Forwarding,
    /// One WAF custom rule, evaluated for this certificate.
    WafRule,
    /// The WAF custom rules as a whole.
    WafRules,
}

impl Check {
    /// A short title.
    pub fn title(self) -> &'static str {
        match self {
            Check::Token => "API token",
            Check::Zone => "Zone",
            Check::MtlsEnabled => "mTLS on this hostname",
            Check::ChainsToCa => "Chains to an associated CA",
            Check::Revocation => "Dashboard status",
            Check::Forwarding => "Certificate forwarded to the origin",
            Check::WafRule => "WAF custom rule",
            Check::WafRules => "WAF custom rules",
        }
    }
}

/// A row's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Fine for this certificate.
    Pass,
    /// A problem: the certificate does not get through, or gets through wrongly.
    Fail,
    /// Could not be told (a permission missing, a rule the engine cannot read, a field
    /// Certlens cannot know).
    Unknown,
}

impl Status {
    /// `pass`, `fail` or `unknown` (as the JSON writes it).
    pub fn word(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
        }
    }

    /// ✔, ✘ or ?.
    pub fn mark(self) -> &'static str {
        match self {
            Status::Pass => "✔",
            Status::Fail => "✘",
            Status::Unknown => "?",
        }
    }
}

/// How to put a failing row right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fix {
    /// Where in the dashboard.
    pub dashboard: String,
    /// The API call.
    pub api: String,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    /// Which check.
    pub check: Check,
    /// Its verdict.
    pub status: Status,
    /// A stable code (`mtls-not-enabled`, `blocked-by-rule`, …) scripts can rely on.
    pub code: &'static str,
    /// The finding in a sentence.
    pub summary: String,
    /// What it rests on: ids, names, values.
    pub evidence: Vec<String>,
    /// How to put it right, when it is wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// Advice beyond the verdict, where Cloudflare's documentation gives it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub advice: Vec<String>,
    /// The WAF rule, for rule rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    /// The token permission that was missing, for `permission-missing` rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<&'static str>,
}

impl Row {
    /// A row with no evidence, fix or advice yet.
    pub fn new(
        check: Check,
        status: Status,
        code: &'static str,
        summary: impl Into<String>,
    ) -> Self {
        Self {
            check,
            status,
            code,
            summary: summary.into(),
            evidence: Vec::new(),
            fix: None,
            advice: Vec::new(),
            rule_id: None,
            permission: None,
        }
    }

    /// The row of a check a missing permission stopped.
    pub fn permission_missing(check: Check, permission: &'static str, call: &str) -> Self {
        let mut row = Row::new(
            check,
            Status::Unknown,
            "permission-missing",
            format!("not checked: the token lacks {permission}"),
        );
        row.evidence
            .push(format!("GET {call} was refused (HTTP 403)"));
        row.fix = Some(Fix {
            dashboard: format!(
                "My Profile > API Tokens > edit the token > add the permission {permission}"
            ),
            api: "PUT /user/tokens/{token_id} with the permission group added".to_owned(),
        });
        row.permission = Some(permission);
        row
    }

    /// Adds a line of evidence.
    pub fn with_evidence(mut self, line: impl Into<String>) -> Self {
        self.evidence.push(line.into());
        self
    }

    /// Sets the fix.
    pub fn with_fix(mut self, dashboard: impl Into<String>, api: impl Into<String>) -> Self {
        self.fix = Some(Fix {
            dashboard: dashboard.into(),
            api: api.into(),
        });
        self
    }
}

/// What the check concludes, and the exit status it gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The request reaches the Worker or origin with `certVerified` `SUCCESS`, and no rule
    /// blocks it.
    GetsThrough,
    /// A problem was found.
    Problem,
    /// Something could not be told (a permission, a rule, a field Certlens cannot know), and
    /// nothing failed.
    Incomplete,
}

impl Verdict {
    /// The verdict of a list of rows: any failure is a problem; else any unknown leaves it
    /// incomplete.
    pub fn of(rows: &[Row]) -> Self {
        if rows.iter().any(|r| r.status == Status::Fail) {
            Verdict::Problem
        } else if rows.iter().any(|r| r.status == Status::Unknown) {
            Verdict::Incomplete
        } else {
            Verdict::GetsThrough
        }
    }

    /// 0, 1 or 2.
    pub fn exit_code(self) -> u8 {
        match self {
            Verdict::GetsThrough => 0,
            Verdict::Problem => 1,
            Verdict::Incomplete => 2,
        }
    }

    /// The verdict in a sentence.
    pub fn sentence(self) -> &'static str {
        match self {
            Verdict::GetsThrough => {
                "this certificate gets through: Cloudflare asks for it, verifies it (SUCCESS) and no rule blocks it"
            }
            Verdict::Problem => "a problem was found: see the failing rows",
            Verdict::Incomplete => {
                "no problem found, but not everything could be checked: see the rows left unknown"
            }
        }
    }
}
