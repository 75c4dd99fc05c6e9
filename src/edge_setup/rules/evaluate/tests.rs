use super::*;

const VERIFIED: &str = "cf.tls_client_auth.cert_verified";
const REVOKED: &str = "cf.tls_client_auth.cert_revoked";
const ISSUER_SKI: &str = "cf.tls_client_auth.cert_issuer_ski";
const SERIAL: &str = "cf.tls_client_auth.cert_serial";
const FINGERPRINT: &str = "cf.tls_client_auth.cert_fingerprint_sha256";

fn facts(verified: bool, revoked: bool, host: &str, path: &str) -> Facts {
    let mut facts = Facts::default();
    facts.set(VERIFIED, FactValue::Flag(verified));
    facts.set(REVOKED, FactValue::Flag(revoked));
    facts.set(
        ISSUER_SKI,
        FactValue::Text("A5AC554235DBA6D963B9CDE0185CFAD6E3F55E9F".into()),
    );
    facts.set(
        SERIAL,
        FactValue::Text("527E0F20A20EA2A4146C78390F34CE7AF0878CA4".into()),
    );
    facts.set(
        FINGERPRINT,
        FactValue::Text("af363dc85bc942a892d3cee9796190fdb36d89cd588a4f1cb17c74a943439714".into()),
    );
    facts.set("http.host", FactValue::Text(host.into()));
    facts.set("http.request.uri.path", FactValue::Text(path.into()));
    facts
}

fn decided(matches: bool) -> Evaluation {
    Evaluation::Decided {
        matches,
        regardless_of: Vec::new(),
    }
}

#[test]
fn the_dashboard_template_blocks_an_unverified_certificate_on_its_host_only() {
    let engine = RuleEngine::new();
    let rule = r#"(http.host in {"api.example.com"} and not cf.tls_client_auth.cert_verified)"#;
    let failing = facts(false, false, "api.example.com", "/");
    let good = facts(true, false, "api.example.com", "/");
    let elsewhere = facts(false, false, "www.example.com", "/");
    assert_eq!(engine.evaluate(rule, &failing), decided(true));
    assert_eq!(engine.evaluate(rule, &good), decided(false));
    assert_eq!(engine.evaluate(rule, &elsewhere), decided(false));
}

#[test]
fn the_template_with_a_path_set() {
    let engine = RuleEngine::new();
    let rule = r#"(http.host in {"a.example.com" "b.example.com"} and http.request.uri.path in {"/admin" "/api"} and not cf.tls_client_auth.cert_verified)"#;
    assert_eq!(
        engine.evaluate(rule, &facts(false, false, "b.example.com", "/api")),
        decided(true)
    );
    assert_eq!(
        engine.evaluate(rule, &facts(false, false, "b.example.com", "/")),
        decided(false)
    );
}

#[test]
fn issuer_pinning_blocks_a_verified_certificate_from_another_issuer() {
    let engine = RuleEngine::new();
    let pinned = r#"not (cf.tls_client_auth.cert_verified and cf.tls_client_auth.cert_issuer_ski eq "A5AC554235DBA6D963B9CDE0185CFAD6E3F55E9F")"#;
    let other = r#"not (cf.tls_client_auth.cert_verified and cf.tls_client_auth.cert_issuer_ski eq "0000000000000000000000000000000000000000")"#;
    let good = facts(true, false, "h", "/");
    assert_eq!(engine.evaluate(pinned, &good), decided(false));
    assert_eq!(engine.evaluate(other, &good), decided(true));
}

#[test]
fn the_revocation_rule_blocks_a_revoked_certificate_on_its_path() {
    let engine = RuleEngine::new();
    let rule = r#"((not cf.tls_client_auth.cert_verified or cf.tls_client_auth.cert_revoked) and http.request.uri.path in {"/admin"})"#;
    assert_eq!(
        engine.evaluate(rule, &facts(true, true, "h", "/admin")),
        decided(true)
    );
    assert_eq!(
        engine.evaluate(rule, &facts(true, false, "h", "/admin")),
        decided(false)
    );
    assert_eq!(
        engine.evaluate(rule, &facts(true, true, "h", "/")),
        decided(false)
    );
}

#[test]
fn fingerprint_and_serial_pins() {
    let engine = RuleEngine::new();
    let good = facts(true, false, "h", "/");
    let fingerprint = r#"cf.tls_client_auth.cert_verified and cf.tls_client_auth.cert_fingerprint_sha256 ne "af363dc85bc942a892d3cee9796190fdb36d89cd588a4f1cb17c74a943439714""#;
    let serial = r#"cf.tls_client_auth.cert_verified and cf.tls_client_auth.cert_serial ne "01""#;
    assert_eq!(engine.evaluate(fingerprint, &good), decided(false));
    assert_eq!(engine.evaluate(serial, &good), decided(true));
    let matches = r#"cf.tls_client_auth.cert_serial matches "^527E[0-9A-F]+$""#;
    assert_eq!(engine.evaluate(matches, &good), decided(true));
}

#[test]
fn a_rule_on_the_client_address_depends_on_it() {
    let engine = RuleEngine::new();
    let rule = r#"ip.src in {192.0.2.0/24} and not cf.tls_client_auth.cert_verified"#;
    assert_eq!(
        engine.evaluate(rule, &facts(false, false, "h", "/")),
        Evaluation::Depends {
            on: vec!["ip.src".to_owned()]
        }
    );
    // A verified certificate passes whatever the address.
    assert_eq!(
        engine.evaluate(rule, &facts(true, false, "h", "/")),
        Evaluation::Decided {
            matches: false,
            regardless_of: vec!["ip.src".to_owned()]
        }
    );
}

#[test]
fn several_unknown_fields_are_tried_every_way() {
    let engine = RuleEngine::new();
    let rule = r#"(ip.geoip.country in {"FR" "DE"} or cf.bot_management.score lt 30) and http.host eq "h" and not cf.tls_client_auth.cert_verified"#;
    match engine.evaluate(rule, &facts(false, false, "h", "/")) {
        Evaluation::Depends { on } => assert_eq!(
            on,
            vec![
                "ip.geoip.country".to_owned(),
                "cf.bot_management.score".to_owned()
            ]
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn strings_with_quotes_escapes_and_raw_bytes_are_restated_exactly() {
    let engine = RuleEngine::new();
    let mut facts = facts(false, false, "h", "/a\"b\\c");
    facts.set("http.request.uri.query", FactValue::Text("AB".into()));
    for (rule, expected) in [
        (
            r#"ip.src eq 1.1.1.1 or http.request.uri.path eq "/a\"b\\c""#,
            true,
        ),
        (
            r#"ip.src eq 1.1.1.1 or http.request.uri.query eq 41:42"#,
            true,
        ),
        (
            r#"ip.src eq 1.1.1.1 or http.request.uri.query contains "\x41""#,
            true,
        ),
        (
            r#"ip.src eq 1.1.1.1 or http.request.uri.path matches "^/a\"b[\"]?\\c$""#,
            true,
        ),
        (
            r#"ip.src eq 1.1.1.1 or http.request.uri.path in {"/x" "/a\"b\\c"}"#,
            true,
        ),
    ] {
        assert_eq!(
            engine.evaluate(rule, &facts),
            Evaluation::Decided {
                matches: expected,
                regardless_of: vec!["ip.src".to_owned()]
            },
            "{rule}"
        );
    }
}

#[test]
fn what_the_engine_cannot_read_is_named() {
    let engine = RuleEngine::new();
    let good = facts(true, false, "h", "/");
    let reason = |rule: &str| match engine.evaluate(rule, &good) {
        Evaluation::NotEvaluated { reason } => reason,
        other => panic!("{rule}: {other:?}"),
    };
    assert!(reason(r#"lower(http.host) eq "h""#).contains("function lower()"));
    assert!(reason(r#"any(http.request.headers["x"][*] eq "y")"#).contains("function any()"));
    assert!(
        reason(r#"http.request.headers["x"] eq "y""#)
            .contains("http.request.headers, a list or map field")
    );
    assert!(reason(r#"http.host wildcard "*.example.com""#).contains("wildcard"));
    assert!(reason(r#"ip.src in $office"#).contains("named list"));
    assert!(reason(r#"http.host eq r"h""#).contains("raw string"));
    assert!(reason(r#"cf.tls_client_auth.no_such eq "h""#).contains("not a field"));
    assert!(reason(r#"cf.tls_client_auth.cert_verified eq true"#).contains("column"));
}

#[test]
fn the_stand_in_limit_gives_depends_rather_than_a_guess() {
    let engine = RuleEngine::new();
    let many: Vec<String> = (0..20)
        .map(|i| format!("cf.bot_management.score eq {i}"))
        .collect();
    let rule = format!(
        "({}) and not cf.tls_client_auth.cert_verified",
        many.join(" or ")
    );
    assert_eq!(
        engine.evaluate(&rule, &facts(false, false, "h", "/")),
        Evaluation::Depends {
            on: vec!["cf.bot_management.score".to_owned()]
        }
    );
}
