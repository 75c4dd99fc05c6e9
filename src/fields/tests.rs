//! The end-to-end worked example (docs/fields.md, "Test vectors"), byte for byte.

use super::*;

const LEAF_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIB+TCCAaugAwIBAgIJAJNurL4H8gHfMAUGAytlcDA/MQswCQYDVQQGEwJVUzEW
MBQGA1UECgwNRXhhbXBsZSwgSW5jLjEYMBYGA1UEAwwPRXhhbXBsZSBUZXN0IENB
MCAXDTI0MDEwMjAzMDQwNVoYDzIwNTAwMTAxMDAwMDAwWjCBmzELMAkGA1UEBhMC
REUxEDAOBgNVBAcMB1rDvHJpY2gxHzAdBgNVBAoMFk3DvGxsZXIgJiBTw7ZobmUs
IEdtYkgxEDAOBgNVBAsMB1IrRC9MYWIxJTAQBgoJkiaJk/IsZAEBDAJhMTARBgNV
BAMMCiBhbGljZSAjMSAxIDAeBgkqhkiG9w0BCQEWEWFsaWNlQGV4YW1wbGUuY29t
MCowBQYDK2VwAyEAKay64UG8yvCyLhqU000LxzYeUm0L/hLIl5S8kyKWbdejZTBj
MAwGA1UdEwEB/wQCMAAwHQYDVR0OBBYEFKt7rewflyf79SSOvp69UwoweVyOMB8G
A1UdIwQYMBaAFP2Bpttk1vr39wLAeXGoLCXB3DyQMBMGA1UdJQQMMAoGCCsGAQUF
BwMCMAUGAytlcANBAMDGPTrBcPZbaOYNyB/cbqElAt5piFUrWaoCmSPagDPYKjsn
qnXpuKArojNeWE1oDMYsXsnysGJ1Ev7TTlkEFgA=
-----END CERTIFICATE-----
";

const CA_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBdDCCASagAwIBAgIUAQIDBAUGBwgJCgsMDQ4PEBESExQwBQYDK2VwMD8xCzAJ
BgNVBAYTAlVTMRYwFAYDVQQKDA1FeGFtcGxlLCBJbmMuMRgwFgYDVQQDDA9FeGFt
cGxlIFRlc3QgQ0EwIBcNMjQwMTAxMDAwMDAwWhgPMjA1NDAxMDEwMDAwMDBaMD8x
CzAJBgNVBAYTAlVTMRYwFAYDVQQKDA1FeGFtcGxlLCBJbmMuMRgwFgYDVQQDDA9F
eGFtcGxlIFRlc3QgQ0EwKjAFBgMrZXADIQADoQe/884Qvh1w3RjnS8CZZ+TWMJul
DV8d3IZkElUxuKMyMDAwDwYDVR0TAQH/BAUwAwEB/zAdBgNVHQ4EFgQU/YGm22TW
+vf3AsB5cagsJcHcPJAwBQYDK2VwA0EAi0CG6FS2f3ZscZ3P2hiF9XGQPOlOK3qr
givvQB5VD/5hoIoHXRO10vs8HOEhkBiFNOdyTrBFKNeq2APeWW+GCQ==
-----END CERTIFICATE-----
";

fn cert(pem_text: &str) -> Certificate {
    Certificate::from_der(pem::parse(pem_text).unwrap().contents()).unwrap()
}

#[test]
fn worked_example_matches_fields_md_byte_for_byte() {
    let leaf = cert(LEAF_PEM);
    let ca = cert(CA_PEM);
    let context = Context {
        issuer: Some(&ca),
        ..Context::default()
    };
    let view = EdgeView::compute(&leaf, &context, Profile::Cloudflare);
    let expected = serde_json::json!({
        "certPresented": "1",
        "certVerified": null,
        "certRevoked": "0",
        "certIssuerDN": "CN=Example Test CA,O=Example\\, Inc.,C=US",
        "certSubjectDN": "emailAddress=alice@example.com,CN=\\ alice #1\\ +UID=a1,OU=R\\+D/Lab,O=M\\C3\\BCller & S\\C3\\B6hne\\, GmbH,L=Z\\C3\\BCrich,C=DE",
        "certIssuerDNRFC2253": "CN=Example Test CA,O=Example\\, Inc.,C=US",
        "certSubjectDNRFC2253": "emailAddress=alice@example.com,CN=\\ alice #1\\ +UID=a1,OU=R\\+D/Lab,O=M\\C3\\BCller & S\\C3\\B6hne\\, GmbH,L=Z\\C3\\BCrich,C=DE",
        "certIssuerDNLegacy": "/C=US/O=Example, Inc./CN=Example Test CA",
        "certSubjectDNLegacy": "/C=DE/L=Z\\xC3\\xBCrich/O=M\\xC3\\xBCller & S\\xC3\\xB6hne, GmbH/OU=R+D/Lab/UID=a1/CN= alice #1 /emailAddress=alice@example.com",
        "certSerial": "936EACBE07F201DF",
        "certIssuerSerial": "0102030405060708090A0B0C0D0E0F1011121314",
        "certSKI": "AB7BADEC1F9727FBF5248EBE9EBD530A30795C8E",
        "certIssuerSKI": "FD81A6DB64D6FAF7F702C07971A82C25C1DC3C90",
        "certFingerprintSHA1": "66ef3938330d219c6fa29fd9dcc426b5caa9507b",
        "certFingerprintSHA256": "0f5e0118c0f576b943f9efe3707abd2983eaf8ff5d9bace5cdaabd5a76a1df11",
        "certNotBefore": "Jan  2 03:04:05 2024 GMT",
        "certNotAfter": "Jan  1 00:00:00 2050 GMT",
        "certRFC9440": ":MIIB+TCCAaugAwIBAgIJAJNurL4H8gHfMAUGAytlcDA/MQswCQYDVQQGEwJVUzEWMBQGA1UECgwNRXhhbXBsZSwgSW5jLjEYMBYGA1UEAwwPRXhhbXBsZSBUZXN0IENBMCAXDTI0MDEwMjAzMDQwNVoYDzIwNTAwMTAxMDAwMDAwWjCBmzELMAkGA1UEBhMCREUxEDAOBgNVBAcMB1rDvHJpY2gxHzAdBgNVBAoMFk3DvGxsZXIgJiBTw7ZobmUsIEdtYkgxEDAOBgNVBAsMB1IrRC9MYWIxJTAQBgoJkiaJk/IsZAEBDAJhMTARBgNVBAMMCiBhbGljZSAjMSAxIDAeBgkqhkiG9w0BCQEWEWFsaWNlQGV4YW1wbGUuY29tMCowBQYDK2VwAyEAKay64UG8yvCyLhqU000LxzYeUm0L/hLIl5S8kyKWbdejZTBjMAwGA1UdEwEB/wQCMAAwHQYDVR0OBBYEFKt7rewflyf79SSOvp69UwoweVyOMB8GA1UdIwQYMBaAFP2Bpttk1vr39wLAeXGoLCXB3DyQMBMGA1UdJQQMMAoGCCsGAQUFBwMCMAUGAytlcANBAMDGPTrBcPZbaOYNyB/cbqElAt5piFUrWaoCmSPagDPYKjsnqnXpuKArojNeWE1oDMYsXsnysGJ1Ev7TTlkEFgA=:",
        "certRFC9440TooLarge": false,
        "certChainRFC9440": "",
        "certChainRFC9440TooLarge": false,
    });
    assert_eq!(
        serde_json::Value::Object(view.tls_client_auth_json()),
        expected
    );
    // Key order is cf.d.ts order.
    let keys: Vec<String> = view.tls_client_auth_json().keys().cloned().collect();
    let order: Vec<&str> = Property::ALL.iter().map(|p| p.name()).collect();
    assert_eq!(keys, order);
    assert!(view.warnings.is_empty(), "{:?}", view.warnings);

    let forwarded: Vec<_> = view
        .edge
        .channels
        .iter()
        .find_map(|channel| match channel {
            profiles::Channel::ForwardedHeaders(headers) => Some(headers),
            _ => None,
        })
        .unwrap()
        .iter()
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(
        forwarded[1],
        "0f5e0118c0f576b943f9efe3707abd2983eaf8ff5d9bace5cdaabd5a76a1df11"
    );
    assert_eq!(
        format!(":{}:", forwarded[0]),
        expected["certRFC9440"].as_str().unwrap()
    );
}

#[test]
fn openssl_legacy_subject_joins_the_multi_valued_rdn() {
    let leaf = cert(LEAF_PEM);
    let view = EdgeView::compute(&leaf, &Context::default(), Profile::Nginx);
    assert_eq!(
        view.get(Property::CertSubjectDNLegacy),
        &FieldValue::Text(
            "/C=DE/L=Z\\xC3\\xBCrich/O=M\\xC3\\xBCller & S\\xC3\\xB6hne, GmbH/OU=R\\+D\\/Lab/UID=a1+CN= alice #1 /emailAddress=alice@example.com".into()
        )
    );
}

#[test]
fn without_a_ca_the_verdict_and_issuer_fields_say_they_were_not_computed() {
    let leaf = cert(LEAF_PEM);
    let view = EdgeView::compute(&leaf, &Context::default(), Profile::Cloudflare);
    assert!(matches!(
        view.get(Property::CertVerified),
        FieldValue::NotComputed(_)
    ));
    assert!(matches!(
        view.get(Property::CertIssuerSerial),
        FieldValue::NotComputed(_)
    ));
    // The echo Worker drops undefined properties; so do we.
    assert!(view.edge.headers.iter().all(|(h, _)| *h != "X-CERT-VERIFY"));
    assert_eq!(view.edge.headers.len(), 8);
}

#[test]
fn nginx_days_remaining_and_escaped_cert() {
    let leaf = cert(LEAF_PEM);
    let at = Instant::parse("2049-12-30T00:00:00Z").unwrap();
    let view = EdgeView::compute(
        &leaf,
        &Context {
            at: Some(at),
            ..Context::default()
        },
        Profile::Nginx,
    );
    let get = |name| {
        view.edge
            .nginx_variables()
            .unwrap()
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("ssl_client_v_remain"), Some("2"));
    let escaped = get("ssl_client_escaped_cert").unwrap();
    assert!(escaped.starts_with("-----BEGIN%20CERTIFICATE-----%0AMIIB%2BTCC"));
    assert!(escaped.ends_with("%0A"));
}

#[test]
fn rfc9440_is_blank_and_flagged_over_the_limit() {
    let leaf = cert(LEAF_PEM);
    let big: Vec<Certificate> = (0..40).map(|_| leaf.clone()).collect();
    let view = EdgeView::compute(
        &leaf,
        &Context {
            chain: &big,
            ..Context::default()
        },
        Profile::Cloudflare,
    );
    assert_eq!(
        view.get(Property::CertChainRFC9440),
        &FieldValue::Text(String::new())
    );
    assert_eq!(
        view.get(Property::CertChainRFC9440TooLarge),
        &FieldValue::Flag(true)
    );
    assert_eq!(
        view.get(Property::CertRFC9440TooLarge),
        &FieldValue::Flag(false)
    );
}
