//! Every edge profile end to end: the demo's echo server speaks each edge's headers and the
//! live test reads them back field for field; tampered echoes get explanations in the edge's
//! own terms; `fields` prints each edge's headers and the every-edge table.

use serde_json::{Map, Value};

use crate::common::{Pki, certlens, fields_json, test_json};
use crate::live::{echo_for, rows_with};
use crate::live_faults::FakeEdge;

const EDGES: &[&str] = &[
    "aws-alb",
    "aws-alb-passthrough",
    "cloudfront",
    "envoy",
    "gcp",
    "azure-appgw",
    "traefik",
    "haproxy",
    "caddy",
    "rfc9440",
];

#[test]
fn the_demo_matches_every_field_for_every_edge() {
    for edge in EDGES {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_certlens"))
            .args(["demo", "--check", "--profile", edge])
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{edge}: {stdout}");
        assert!(
            stdout.contains(" match · 0 mismatch · 0 missing · 0 unexpected")
                && !stdout.contains(" 0 match ·"),
            "{edge}: {stdout}"
        );
        assert!(
            stdout.contains(&format!("--profile {edge}")),
            "{edge}: {stdout}"
        );
    }
}

/// The headers `fields --profile edge` says the edge sends for the test identity.
fn honest_headers(pki: &Pki, edge: &str) -> Map<String, Value> {
    let fields = fields_json(
        pki.path(),
        &["identity.pem", "--ca", "root.pem", "--profile", edge],
    );
    fields["headers"].as_object().unwrap().clone()
}

/// Runs the live test with `--profile edge` against a server that answers `echo`.
fn test_against(pki: &Pki, edge: &str, echo: &Map<String, Value>) -> (Option<i32>, Value) {
    let body = serde_json::to_vec_pretty(&Value::Object(echo.clone())).unwrap();
    let server = FakeEdge::start(
        pki.path(),
        body,
        "application/json",
        &pki.file("root.pem"),
        false,
    );
    test_json(
        pki.path(),
        &[
            server.url.as_str(),
            "--identity",
            "identity.pem",
            "--ca",
            "root.pem",
            "--server-ca",
            "fake-edge-ca.pem",
            "--profile",
            edge,
        ],
    )
}

#[test]
fn each_edges_echo_is_read_whatever_the_case_of_its_header_names() {
    let pki = Pki::new();
    let _server = echo_for(&pki);
    for edge in EDGES {
        // A backend that echoes its request headers sees them lower-cased (HTTP/2, Node).
        let echo: Map<String, Value> = honest_headers(&pki, edge)
            .into_iter()
            .map(|(k, v)| (k.to_ascii_lowercase(), v))
            .collect();
        let (code, json) = test_against(&pki, edge, &echo);
        assert_eq!(code, Some(0), "{edge}: {json:#}");
        assert!(
            json["summary"]["match"].as_u64().unwrap() >= 1,
            "{edge}: {json:#}"
        );
        assert_eq!(json["summary"]["mismatch"], 0, "{edge}: {json:#}");
        assert_eq!(json["summary"]["missing"], 0, "{edge}: {json:#}");
    }
}

#[test]
fn tampered_values_are_explained_in_the_edges_terms() {
    let pki = Pki::new();
    let _server = echo_for(&pki);

    // HAProxy's serial replaced with the same serial in decimal: Caddy's spelling.
    let caddy_serial = honest_headers(&pki, "caddy")["X-Client-Cert-Serial"].clone();
    let mut echo = honest_headers(&pki, "haproxy");
    echo.insert("X-SSL-Client-Serial".into(), caddy_serial);
    let (code, json) = test_against(&pki, "haproxy", &echo);
    assert_eq!(code, Some(1), "{json:#}");
    let mismatches = rows_with(&json, "mismatch");
    assert_eq!(mismatches.len(), 1, "{json:#}");
    let why = mismatches[0]["explanation"].as_str().unwrap();
    assert!(
        why.contains("serial number in decimal, as Traefik and Caddy send it"),
        "{why}"
    );
    assert!(why.contains("HAProxy sends it as upper-case hex"), "{why}");

    // Traefik's info with another serial: not this certificate's.
    let mut echo = honest_headers(&pki, "traefik");
    let info = echo["X-Forwarded-Tls-Client-Cert-Info"]
        .as_str()
        .unwrap()
        .to_owned();
    let at = info.find("SerialNumber%3D%22").unwrap() + "SerialNumber%3D%22".len();
    let end = at + info[at..].find("%22").unwrap();
    let tampered = format!("{}12345{}", &info[..at], &info[end..]);
    echo.insert("X-Forwarded-Tls-Client-Cert-Info".into(), tampered.into());
    let (code, json) = test_against(&pki, "traefik", &echo);
    assert_eq!(code, Some(1), "{json:#}");
    let mismatches = rows_with(&json, "mismatch");
    assert_eq!(mismatches.len(), 1, "{json:#}");
    assert_eq!(
        mismatches[0]["field"],
        "X-Forwarded-Tls-Client-Cert-Info SerialNumber"
    );
    assert_eq!(mismatches[0]["echoed"], "12345");
    let why = mismatches[0]["explanation"].as_str().unwrap();
    assert!(
        why.contains("Not this certificate's serial number"),
        "{why}"
    );
    assert!(why.contains("pass_tls_client_cert.go"), "{why}");

    // Envoy configured without `cert`: the Cert key is missing, and the setting is named.
    let mut echo = honest_headers(&pki, "envoy");
    let xfcc = echo["x-forwarded-client-cert"].as_str().unwrap().to_owned();
    let start = xfcc.find(";Cert=\"").unwrap();
    let end = start + 1 + xfcc[start + 1..].find(';').unwrap();
    echo.insert(
        "x-forwarded-client-cert".into(),
        format!("{}{}", &xfcc[..start], &xfcc[end..]).into(),
    );
    let (code, json) = test_against(&pki, "envoy", &echo);
    assert_eq!(code, Some(1), "{json:#}");
    let missing = rows_with(&json, "missing");
    assert_eq!(missing.len(), 1, "{json:#}");
    assert!(
        missing[0]["explanation"]
            .as_str()
            .unwrap()
            .contains("set_current_client_cert_details.cert"),
        "{json:#}"
    );

    // Google's verdict flipped: a verdict difference, not a spelling one.
    let mut echo = honest_headers(&pki, "gcp");
    echo.insert("X-Client-Cert-Chain-Verified".into(), "false".into());
    let (_, json) = test_against(&pki, "gcp", &echo);
    let mismatches = rows_with(&json, "mismatch");
    assert_eq!(mismatches.len(), 1, "{json:#}");
    assert!(
        mismatches[0]["explanation"]
            .as_str()
            .unwrap()
            .contains("another verdict"),
        "{json:#}"
    );
}

#[test]
fn fields_prints_each_edges_headers_and_the_every_edge_table() {
    let pki = Pki::new();
    let _server = echo_for(&pki);
    let expected: &[(&str, &[&str])] = &[
        (
            "aws-alb",
            &[
                "X-Amzn-Mtls-Clientcert-Serial-Number: ",
                "X-Amzn-Mtls-Clientcert-Validity: NotBefore=",
            ],
        ),
        (
            "aws-alb-passthrough",
            &["X-Amzn-Mtls-Clientcert: -----BEGIN%20CERTIFICATE-----%0A"],
        ),
        (
            "cloudfront",
            &[
                "CloudFront-Viewer-Cert-Present: 1",
                "CloudFront-Viewer-Cert-Serial-Number: ",
            ],
        ),
        ("envoy", &["x-forwarded-client-cert: Hash=", ";Subject=\""]),
        (
            "gcp",
            &[
                "X-Client-Cert-Present: true",
                "X-Client-Cert-Chain-Verified: true",
            ],
        ),
        ("azure-appgw", &["X-Client-Cert-Verification: SUCCESS"]),
        (
            "traefik",
            &[
                "X-Forwarded-Tls-Client-Cert: MII",
                "X-Forwarded-Tls-Client-Cert-Info: Subject%3D%22",
            ],
        ),
        (
            "haproxy",
            &["X-SSL-Client-Verify: 0", "X-SSL-Client-Subject: /"],
        ),
        (
            "caddy",
            &["X-Client-Cert-Fingerprint: ", "X-Client-Cert-Dns-Names: ["],
        ),
        ("rfc9440", &["Client-Cert: :MII"]),
    ];
    for (edge, lines) in expected {
        let output = certlens(
            pki.path(),
            &[
                "fields",
                "identity.pem",
                "--ca",
                "root.pem",
                "--profile",
                edge,
                "--format",
                "headers",
            ],
        );
        let text = String::from_utf8_lossy(&output.stdout);
        for line in *lines {
            assert!(text.contains(line), "{edge}: {line:?} in\n{text}");
        }
    }
    let output = certlens(
        pki.path(),
        &[
            "fields",
            "identity.pem",
            "--ca",
            "root.pem",
            "--profile",
            "all",
            "--format",
            "text",
        ],
    );
    let table = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{table}");
    for edge in EDGES {
        assert!(table.contains(edge), "{edge} in\n{table}");
    }
    assert!(table.contains("serial number (3 spellings)"), "{table}");
    let json: Value = serde_json::from_slice(
        &certlens(pki.path(), &["fields", "identity.pem", "--profile", "all"]).stdout,
    )
    .unwrap();
    let serial = json["aspects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["aspect"] == "serial")
        .unwrap();
    assert_eq!(serial["spellings"], 3, "{serial:#}");
}

/// The headers `fields --profile edge --format headers` prints for `der`, as name → value.
fn headers_of(dir: &std::path::Path, der: &[u8], edge: &str) -> Map<String, Value> {
    std::fs::write(dir.join("vendor.pem"), crate::common::craft::cert_pem(der)).unwrap();
    fields_json(dir, &["vendor.pem", "--profile", edge])["headers"]
        .as_object()
        .unwrap()
        .clone()
}

/// The vendors' own documented examples, rebuilt as certificates: each profile must print the
/// documented spelling.
#[test]
fn vendor_examples_come_out_as_documented() {
    use crate::common::craft::{self, Key, Spec, name, utc};
    let dir = crate::common::temp_dir();
    let key = Key::generate();

    // AWS ALB (mutual-authentication guide): serial 03A5B1, RFC 2253 names, the validity form.
    let aws_name = name(&[
        ("2.5.4.6", 0x13, b"US"),
        ("2.5.4.8", 0x0C, b"Washington"),
        ("2.5.4.7", 0x0C, b"Seattle"),
        ("2.5.4.10", 0x0C, b"mTLS"),
        ("2.5.4.11", 0x0C, b"rootCA"),
        ("2.5.4.3", 0x0C, b"rootcamtls.com"),
    ]);
    let der = craft::build(
        &Spec {
            subject: aws_name.clone(),
            issuer: aws_name,
            serial: vec![0x03, 0xA5, 0xB1],
            not_before: utc("230921015017Z"),
            not_after: utc("240920015017Z"),
            ..Spec::default()
        },
        &key,
        &key,
    );
    let alb = headers_of(dir.path(), &der, "aws-alb");
    assert_eq!(alb["X-Amzn-Mtls-Clientcert-Serial-Number"], "03A5B1");
    assert_eq!(
        alb["X-Amzn-Mtls-Clientcert-Issuer"],
        "CN=rootcamtls.com,OU=rootCA,O=mTLS,L=Seattle,ST=Washington,C=US"
    );
    assert_eq!(
        alb["X-Amzn-Mtls-Clientcert-Validity"],
        "NotBefore=2023-09-21T01:50:17Z;NotAfter=2024-09-20T01:50:17Z"
    );
    let leaf = alb["X-Amzn-Mtls-Clientcert-Leaf"].as_str().unwrap();
    assert!(
        leaf.starts_with("-----BEGIN%20CERTIFICATE-----%0A"),
        "{leaf}"
    );
    assert!(!leaf.contains("%2B") && !leaf.contains("%2F") && !leaf.contains("%3D"));

    // CloudFront (viewer mTLS headers): serial 4a:3f:5c:92:d1:e8:7b:6c.
    let der = craft::build(
        &Spec {
            serial: vec![0x4a, 0x3f, 0x5c, 0x92, 0xd1, 0xe8, 0x7b, 0x6c],
            ..Spec::default()
        },
        &key,
        &key,
    );
    assert_eq!(
        headers_of(dir.path(), &der, "cloudfront")["CloudFront-Viewer-Cert-Serial-Number"],
        "4a:3f:5c:92:d1:e8:7b:6c"
    );

    // Google Cloud (custom headers): RFC 3339 with +00:00; base64 SHA-256 and DER names.
    let der = craft::build(
        &Spec {
            not_before: utc("220701180509Z"),
            ..Spec::default()
        },
        &key,
        &key,
    );
    let gcp = headers_of(dir.path(), &der, "gcp");
    assert_eq!(
        gcp["X-Client-Cert-Valid-Not-Before"],
        "2022-07-01T18:05:09+00:00"
    );
    assert_eq!(gcp["X-Client-Cert-Hash"].as_str().unwrap().len(), 44);
    assert!(
        gcp.get("X-Client-Cert-Chain-Verified").is_none(),
        "no CA, no verdict"
    );

    // Traefik (PassTLSClientCert documentation's info example), serial left aside.
    let cheese = |state: [&'static [u8]; 2], cn: &'static [u8]| {
        name(&[
            ("0.9.2342.19200300.100.1.25", 0x16, b"org"),
            ("0.9.2342.19200300.100.1.25", 0x16, b"cheese"),
            ("2.5.4.6", 0x13, b"FR"),
            ("2.5.4.6", 0x13, b"US"),
            ("2.5.4.8", 0x0C, state[0]),
            ("2.5.4.8", 0x0C, state[1]),
            ("2.5.4.7", 0x0C, b"TOULOUSE"),
            ("2.5.4.7", 0x0C, b"LYON"),
            ("2.5.4.10", 0x0C, b"Cheese"),
            ("2.5.4.10", 0x0C, b"Cheese 2"),
            ("2.5.4.3", 0x0C, cn),
        ])
    };
    let general = |tag: u8, value: &[u8]| certlens::certificate::der::encode(tag, value);
    let sans = certlens::certificate::der::encode(
        0x30,
        &[
            general(0x82, b"*.cheese.org"),
            general(0x82, b"*.cheese.net"),
            general(0x82, b"*.cheese.com"),
            general(0x81, b"test@cheese.org"),
            general(0x81, b"test@cheese.net"),
            general(0x87, &[10, 0, 1, 0]),
            general(0x87, &[10, 0, 1, 2]),
        ]
        .concat(),
    );
    let der = craft::build(
        &Spec {
            subject: cheese([b"Cheese org state", b"Cheese com state"], b"*.cheese.com"),
            issuer: cheese(
                [b"Signing State", b"Signing State 2"],
                b"Simple Signing CA 2",
            ),
            not_before: utc("181206111016Z"),
            not_after: utc("201205111016Z"),
            extensions: Some(vec![craft::extension("2.5.29.17", false, &sans)]),
            ..Spec::default()
        },
        &key,
        &key,
    );
    let info = headers_of(dir.path(), &der, "traefik")["X-Forwarded-Tls-Client-Cert-Info"]
        .as_str()
        .unwrap()
        .to_owned();
    let info = certlens::fields::profiles::percent_decode(&info, true).unwrap();
    let without_serial = info.replace(";SerialNumber=\"66051\"", "");
    assert_eq!(
        without_serial,
        "Subject=\"DC=org,DC=cheese,C=FR,C=US,ST=Cheese org state,ST=Cheese com state,L=TOULOUSE,L=LYON,O=Cheese,O=Cheese 2,CN=*.cheese.com\";Issuer=\"DC=org,DC=cheese,C=FR,C=US,ST=Signing State,ST=Signing State 2,L=TOULOUSE,L=LYON,O=Cheese,O=Cheese 2,CN=Simple Signing CA 2\";NB=\"1544094616\";NA=\"1607166616\";SAN=\"*.cheese.org,*.cheese.net,*.cheese.com,test@cheese.org,test@cheese.net,10.0.1.0,10.0.1.2\""
    );
}
