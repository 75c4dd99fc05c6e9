//! `certlens cloudflare` against a local stand-in of the Cloudflare API (never Cloudflare
//! itself), one account per scenario: each gives the right row, code and exit status, in text
//! and JSON, and the token shows nowhere.

use std::path::Path;

use serde_json::{Value, json};

use crate::common::cloudflare_api::{
    Account, CloudflareApi, Permission, client_certificate, rule, uploaded_ca,
};
use crate::common::{Pki, certlens, openssl_out};

const TOKEN: &str = "cfut_Zx81TestTokenNeverPrinted_qW3e";
const HOST: &str = "api.example.test";
const URL: &str = "https://api.example.test/orders";
const BYO_ID: &str = "2458ce5a-0c35-4c7f-82c7-8e9487d3ff60";

/// A PKI whose identity is written as `identity.pem` (leaf, intermediate, key).
fn pki() -> Pki {
    let pki = Pki::new();
    pki.write_identity();
    std::fs::write(pki.file("token.txt"), format!("{TOKEN}\n")).unwrap();
    pki
}

/// SHA-256 of the leaf, as openssl prints it, in the API's lowercase form.
fn fingerprint(dir: &Path, cert: &str) -> String {
    openssl_out(
        dir,
        &["x509", "-in", cert, "-noout", "-fingerprint", "-sha256"],
    )
    .trim()
    .rsplit('=')
    .next()
    .unwrap()
    .replace(':', "")
    .to_ascii_lowercase()
}

/// The subject key identifier of `cert`, as openssl prints it, uppercase without colons.
fn ski(dir: &Path, cert: &str) -> String {
    let text = openssl_out(
        dir,
        &[
            "x509",
            "-in",
            cert,
            "-noout",
            "-ext",
            "subjectKeyIdentifier",
        ],
    );
    text.lines()
        .nth(1)
        .unwrap()
        .trim()
        .replace(':', "")
        .to_ascii_uppercase()
}

/// An account where HOST is associated with the PKI's root, uploaded as a BYO CA, and the
/// managed transform is on: everything a good identity needs.
fn byo_account(pki: &Pki) -> Account {
    let mut account = Account::new(TOKEN);
    let root = std::fs::read_to_string(pki.file("root.pem")).unwrap();
    account.mtls_certificates = vec![
        uploaded_ca(
            BYO_ID,
            "Example devices root",
            &root,
            "2026-10-01T08:00:00Z",
        ),
        json!({"id": "99999999-0c35-4c7f-82c7-8e9487d3ff60", "ca": false, "certificates": "", "name": "worker leaf"}),
    ];
    account.ca_hosts = vec![(BYO_ID.to_owned(), vec![HOST.to_owned()])];
    account.client_auth_headers = true;
    account
}

/// The stand-in for [`byo_account`] with these custom rules.
fn serve_rules(pki: &Pki, rules: Vec<Value>) -> CloudflareApi {
    let mut account = byo_account(pki);
    account.custom_rules = Some(rules);
    CloudflareApi::start(account)
}

/// Runs `certlens cloudflare` in `dir` with the token file: exit code, JSON, stderr.
fn check(
    dir: &Path,
    api: &CloudflareApi,
    identity: &str,
    extra: &[&str],
) -> (Option<i32>, Value, String) {
    let base = api.base();
    let mut args = vec![
        "cloudflare",
        URL,
        "--identity",
        identity,
        "--token-file",
        "token.txt",
        "--api-base",
        &base,
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let output = certlens(dir, &args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        !stdout.contains(TOKEN) && !stderr.contains(TOKEN),
        "the token leaked: {stdout}{stderr}"
    );
    let json = serde_json::from_str(&stdout).unwrap_or(Value::Null);
    (output.status.code(), json, stderr)
}

/// The text form, for the same run.
fn text(dir: &Path, api: &CloudflareApi, identity: &str) -> String {
    let base = api.base();
    let output = certlens(
        dir,
        &[
            "cloudflare",
            URL,
            "--identity",
            identity,
            "--token-file",
            "token.txt",
            "--api-base",
            &base,
        ],
    );
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(!text.contains(TOKEN));
    text
}

/// The rows with `code`.
fn rows<'a>(json: &'a Value, code: &str) -> Vec<&'a Value> {
    json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["code"] == code)
        .collect()
}

fn has(json: &Value, code: &str, status: &str) -> bool {
    rows(json, code).iter().any(|r| r["status"] == status)
}

#[test]
fn a_hostname_with_no_ca_associated_is_not_mtls() {
    let pki = pki();
    let mut account = byo_account(&pki);
    account.ca_hosts = vec![(BYO_ID.to_owned(), vec!["other.example.test".to_owned()])];
    account.managed_hosts = vec!["www.example.test".to_owned()];
    let api = CloudflareApi::start(account);
    let (code, json, stderr) = check(pki.path(), &api, "identity.pem", &[]);
    assert_eq!(code, Some(1), "{json:#} {stderr}");
    assert!(has(&json, "mtls-not-enabled", "fail"), "{json:#}");
    assert_eq!(json["certVerified"], "NONE");
    let row = rows(&json, "mtls-not-enabled")[0];
    assert!(
        row["fix"]["api"]
            .as_str()
            .unwrap()
            .contains("hostname_associations"),
        "{row:#}"
    );
    assert!(
        row["evidence"].to_string().contains("other.example.test"),
        "{row:#}"
    );
    assert!(text(pki.path(), &api, "identity.pem").contains("✘ mTLS on this hostname"));
}

#[test]
fn an_identity_from_another_ca_fails_on_a_managed_ca_host() {
    let pki = pki();
    let mut account = Account::new(TOKEN);
    account.managed_hosts = vec![HOST.to_owned()];
    account.client_certificates = vec![client_certificate("c0ffee00", &"ab".repeat(32), "active")];
    account.client_auth_headers = true;
    let api = CloudflareApi::start(account);
    let (code, json, _) = check(pki.path(), &api, "identity.pem", &[]);
    assert_eq!(code, Some(1), "{json:#}");
    assert!(has(&json, "mtls-enabled", "pass"), "{json:#}");
    assert!(has(&json, "ca-not-associated", "fail"), "{json:#}");
    assert_eq!(
        json["certVerified"],
        "FAILED:unable to get local issuer certificate"
    );
    assert!(has(&json, "not-cloudflare-issued", "pass"), "{json:#}");
}

#[test]
fn a_byo_ca_associated_and_matching_gets_through() {
    let pki = pki();
    let api = CloudflareApi::start(byo_account(&pki));
    let (code, json, stderr) = check(pki.path(), &api, "identity.pem", &[]);
    assert_eq!(code, Some(0), "{json:#} {stderr}");
    assert_eq!(json["verdict"], "gets-through");
    assert_eq!(json["certVerified"], "SUCCESS");
    for code in [
        "zone-found",
        "mtls-enabled",
        "ca-associated",
        "not-cloudflare-issued",
        "forwarding-on",
        "no-custom-rules",
    ] {
        assert!(has(&json, code, "pass"), "{code}: {json:#}");
    }
    // No rule enforces the verdict: the advice says which rule would.
    let advice = rows(&json, "no-custom-rules")[0]["advice"].to_string();
    assert!(
        advice.contains("not cf.tls_client_auth.cert_verified"),
        "{advice}"
    );
    // The path was read as the stand-in documents: a BYO CA's hostnames by its id.
    assert!(
        api.seen()
            .iter()
            .any(|l| l.contains(&format!("mtls_certificate_id={BYO_ID}")))
    );
    let text = text(pki.path(), &api, "identity.pem");
    assert!(text.contains("this certificate gets through"), "{text}");
    assert!(
        text.contains("certVerified on this hostname: SUCCESS"),
        "{text}"
    );
}

#[test]
fn a_revoked_cloudflare_issued_certificate_is_found_on_a_later_page() {
    let pki = pki();
    let mut account = Account::new(TOKEN);
    account.managed_hosts = vec![HOST.to_owned()];
    account.client_auth_headers = true;
    // 120 others first: the leaf is on the third page of 50, and revoked certificates are
    // listed only with status=all.
    let mut certificates: Vec<Value> = (0..120)
        .map(|i| client_certificate(&format!("other{i}"), &format!("{i:064x}"), "active"))
        .collect();
    certificates.push(client_certificate(
        "leafcert",
        &fingerprint(pki.path(), "leaf.pem"),
        "revoked",
    ));
    account.client_certificates = certificates;
    let api = CloudflareApi::start(account);
    let (code, json, _) = check(pki.path(), &api, "identity.pem", &[]);
    assert_eq!(code, Some(1), "{json:#}");
    assert!(has(&json, "certificate-revoked", "fail"), "{json:#}");
    assert!(has(&json, "ca-associated", "pass"), "{json:#}");
    assert_eq!(
        json["certVerified"], "SUCCESS",
        "a revoked certificate still verifies"
    );
    let pages: Vec<String> = api
        .seen()
        .into_iter()
        .filter(|l| l.contains("client_certificates"))
        .collect();
    assert_eq!(pages.len(), 3, "{pages:?}");
    assert!(pages.iter().all(|l| l.contains("status=all")), "{pages:?}");
}

fn template(host: &str) -> String {
    format!("(http.host in {{\"{host}\"}} and not cf.tls_client_auth.cert_verified)")
}

#[test]
fn the_dashboard_template_rule_blocks_a_failing_identity_and_lets_a_good_one_through() {
    let pki = pki();
    let stranger = Pki::new();
    std::fs::copy(stranger.file("leaf.pem"), pki.file("stranger.pem")).unwrap();
    let api = serve_rules(
        &pki,
        vec![
            rule(
                "r-log",
                "log",
                "http.request.uri.path contains \"/debug\"",
                "log debug",
            ),
            rule(
                "r-mtls",
                "block",
                &template(HOST),
                "mTLS-enforced authentication",
            ),
        ],
    );

    let (code, json, _) = check(pki.path(), &api, "identity.pem", &[]);
    assert_eq!(code, Some(0), "{json:#}");
    let passes = rows(&json, "rule-passes");
    assert_eq!(passes.len(), 1, "{json:#}");
    assert_eq!(passes[0]["ruleId"], "r-mtls");
    assert!(has(&json, "no-rule-blocks", "pass"), "{json:#}");
    // The template pins no issuer: the advice says how.
    assert!(
        passes[0]["advice"].to_string().contains("cert_issuer_ski"),
        "{json:#}"
    );

    let (code, json, _) = check(pki.path(), &api, "stranger.pem", &[]);
    assert_eq!(code, Some(1), "{json:#}");
    let blocked = rows(&json, "blocked-by-rule");
    assert_eq!(blocked.len(), 1, "{json:#}");
    assert_eq!(blocked[0]["ruleId"], "r-mtls");
    assert_eq!(blocked[0]["status"], "fail");
    assert!(
        blocked[0]["fix"]["api"]
            .as_str()
            .unwrap()
            .ends_with("/rules/r-mtls")
    );
    assert!(has(&json, "ca-not-associated", "fail"), "{json:#}");
    // A lone leaf whose issuer is nowhere: BoringSSL's words for it.
    assert_eq!(
        json["certVerified"],
        "FAILED:unable to verify the first certificate"
    );
    let text = text(pki.path(), &api, "stranger.pem");
    assert!(
        text.contains("blocked-by-rule") && text.contains("blocks this request"),
        "{text}"
    );
}

#[test]
fn a_rule_pinning_the_issuer_ski() {
    let pki = pki();
    let intermediate_ski = ski(pki.path(), "int.pem");
    let pin = |ski: &str| {
        format!(
            "not (cf.tls_client_auth.cert_verified and cf.tls_client_auth.cert_issuer_ski eq \"{ski}\")"
        )
    };
    let api = serve_rules(
        &pki,
        vec![rule(
            "r-pin",
            "block",
            &pin(&intermediate_ski),
            "pin issuer",
        )],
    );
    let (code, json, _) = check(pki.path(), &api, "identity.pem", &[]);
    assert_eq!(code, Some(0), "{json:#}");
    assert!(has(&json, "rule-passes", "pass"), "{json:#}");
    assert!(
        rows(&json, "rule-passes")[0].get("advice").is_none(),
        "a pinned rule needs no advice"
    );

    let api = serve_rules(
        &pki,
        vec![rule("r-pin", "block", &pin(&"0".repeat(40)), "pin issuer")],
    );
    let (code, json, _) = check(pki.path(), &api, "identity.pem", &[]);
    assert_eq!(code, Some(1), "{json:#}");
    assert!(has(&json, "blocked-by-rule", "fail"), "{json:#}");
}

#[test]
fn a_rule_the_engine_cannot_read_is_not_evaluated_and_never_passes() {
    let pki = pki();
    let api = serve_rules(
        &pki,
        vec![
            rule(
                "r-lower",
                "block",
                "lower(http.host) eq \"api.example.test\" and not cf.tls_client_auth.cert_verified",
                "lowercase host",
            ),
            rule("r-after", "block", &template(HOST), "template"),
        ],
    );
    let (code, json, _) = check(pki.path(), &api, "identity.pem", &[]);
    assert_eq!(code, Some(2), "{json:#}");
    let row = rows(&json, "rule-not-evaluated");
    assert_eq!(row.len(), 1, "{json:#}");
    assert_eq!(row[0]["status"], "unknown");
    assert_eq!(row[0]["ruleId"], "r-lower");
    assert!(
        row[0]["summary"].as_str().unwrap().contains("lower()"),
        "{json:#}"
    );
    assert_eq!(json["verdict"], "incomplete");
}

#[test]
fn a_rule_on_the_client_address_depends_on_it() {
    let pki = pki();
    let api = serve_rules(
        &pki,
        vec![rule(
            "r-ip",
            "block",
            "not ip.src in {192.0.2.0/24} and http.host eq \"api.example.test\"",
            "office only",
        )],
    );
    let (code, json, _) = check(pki.path(), &api, "identity.pem", &[]);
    assert_eq!(code, Some(2), "{json:#}");
    let row = rows(&json, "rule-depends");
    assert_eq!(row.len(), 1, "{json:#}");
    assert_eq!(row[0]["status"], "unknown");
    assert!(
        row[0]["summary"]
            .as_str()
            .unwrap()
            .contains("depends on ip.src"),
        "{json:#}"
    );
}

#[test]
fn a_token_without_waf_read_leaves_the_rules_unknown() {
    let pki = pki();
    let mut account = byo_account(&pki);
    account.denied = vec![Permission::ZoneWaf];
    account.custom_rules = Some(vec![rule("r-mtls", "block", &template(HOST), "template")]);
    let api = CloudflareApi::start(account);
    let (code, json, _) = check(pki.path(), &api, "identity.pem", &[]);
    assert_eq!(code, Some(2), "{json:#}");
    let row = rows(&json, "permission-missing");
    assert_eq!(row.len(), 1, "{json:#}");
    assert_eq!(row[0]["status"], "unknown");
    assert_eq!(row[0]["check"], "waf-rules");
    assert_eq!(row[0]["permission"], "Zone: Zone WAF Read");
}

#[test]
fn forwarding_off_is_a_problem_unless_the_application_is_a_worker() {
    let pki = pki();
    let mut account = byo_account(&pki);
    account.client_auth_headers = false;
    account.access_settings = vec![
        json!({"hostname": HOST, "china_network": false, "client_certificate_forwarding": false}),
    ];
    let api = CloudflareApi::start(account);
    let (code, json, _) = check(pki.path(), &api, "identity.pem", &[]);
    assert_eq!(code, Some(1), "{json:#}");
    assert!(has(&json, "forwarding-off", "fail"), "{json:#}");
    let (code, json, _) = check(pki.path(), &api, "identity.pem", &["--worker"]);
    assert_eq!(code, Some(0), "{json:#}");
    assert!(has(&json, "forwarding-not-needed", "pass"), "{json:#}");
}

#[test]
fn an_account_token_a_wrong_token_and_a_missing_token() {
    let pki = pki();
    let mut account = byo_account(&pki);
    account.account_owned = true;
    let api = CloudflareApi::start(account);
    let (code, json, stderr) = check(pki.path(), &api, "identity.pem", &[]);
    assert_eq!(
        code,
        Some(0),
        "an account-owned token works too: {json:#} {stderr}"
    );

    std::fs::write(pki.file("token.txt"), "cfut_SomeOtherTokenAltogether\n").unwrap();
    let output = certlens(
        pki.path(),
        &[
            "cloudflare",
            URL,
            "--identity",
            "identity.pem",
            "--token-file",
            "token.txt",
            "--api-base",
            &api.base(),
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("refused the token"), "{stderr}");
    assert!(!stderr.contains("cfut_SomeOther"), "{stderr}");

    let output = std::process::Command::new(crate::common::binary())
        .args([
            "cloudflare",
            URL,
            "--identity",
            "identity.pem",
            "--api-base",
            &api.base(),
        ])
        .current_dir(pki.path())
        .env_remove("CLOUDFLARE_API_TOKEN")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("CLOUDFLARE_API_TOKEN"));

    // From the environment, and never over plain http to another machine.
    let output = std::process::Command::new(crate::common::binary())
        .args([
            "cloudflare",
            URL,
            "--identity",
            "identity.pem",
            "--api-base",
            "http://192.0.2.1/client/v4",
        ])
        .current_dir(pki.path())
        .env("CLOUDFLARE_API_TOKEN", TOKEN)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("http is allowed only to this machine"),
        "{stderr}"
    );
    assert!(!stderr.contains(TOKEN));
}

#[test]
fn the_report_gains_a_cloudflare_setup_section_and_never_the_token() {
    let pki = pki();
    let api = serve_rules(
        &pki,
        vec![rule("r-mtls", "block", &template(HOST), "template")],
    );
    // The report's live test goes to the echo server, reached under HOST (its certificate
    // names 127.0.0.1, so the server check is off for it).
    let echo = crate::live::echo_for(&pki);
    let port = echo.addr().port();
    let url = format!("https://{HOST}:{port}/orders");
    let resolve = format!("{HOST}:{port}:127.0.0.1");
    for format in ["json", "md", "html", "csv"] {
        let out = format!("report.{format}");
        let output = certlens(
            pki.path(),
            &[
                "report",
                "identity.pem",
                "--ca",
                "root.pem",
                "--url",
                &url,
                "--resolve",
                &resolve,
                "--insecure",
                "--no-proxy",
                "--cloudflare",
                "--token-file",
                "token.txt",
                "--api-base",
                &api.base(),
                "-o",
                &out,
            ],
        );
        assert!(
            output.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let written = std::fs::read_to_string(pki.file(&out)).unwrap();
        assert!(!written.contains(TOKEN), "{format}");
        assert!(written.contains("rule-passes"), "{format}: {written}");
        if format == "json" {
            let json: Value = serde_json::from_str(&written).unwrap();
            assert_eq!(
                json["cloudflareSetup"]["verdict"], "gets-through",
                "{json:#}"
            );
        }
    }
}
