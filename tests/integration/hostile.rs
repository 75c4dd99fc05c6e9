//! What a file or server someone hands you can do to the person running Certlens: terminal
//! escapes from certificate bytes and PKCS#12 names, proxy passwords, the printed curl command.

use certlens::certificate::der::{encode, tag};

use crate::common::craft::{self, Key, Spec, extension, name};
use crate::common::{certlens, openssl, temp_dir};

/// Control characters a terminal acts on, anywhere in `text` (newlines and tabs are layout).
fn control_characters(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(
                    c,
                    '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}'
                )
        })
        .collect()
}

/// OSC 52 (write the clipboard), BEL, CSI (clear the screen), a C1 CSI, a bidi override.
const OSC52: &str = "\u{1b}]52;c;ZXZpbA==\u{7}";

#[test]
fn certificate_bytes_and_pkcs12_names_never_reach_the_terminal_raw() {
    let dir = temp_dir();
    let d = dir.path();
    let key = Key::generate();
    let san = encode(
        tag::SEQUENCE,
        &[
            encode(0x82, format!("evil{OSC52}.example").as_bytes()),
            encode(0x86, b"https://x.example/\x1b[2J\x9b2J"),
            encode(0x81, "a\u{9b}b\u{202e}@example.com".as_bytes()),
        ]
        .concat(),
    );
    let leaf = craft::build(
        &Spec {
            subject: name(&[("2.5.4.3", 0x0C, format!("client{OSC52}").as_bytes())]),
            extensions: Some(vec![
                craft::client_auth_eku(),
                extension("2.5.29.17", false, &san),
            ]),
            ..Spec::default()
        },
        &key,
        &key,
    );
    std::fs::write(d.join("evil.pem"), craft::cert_pem(&leaf)).unwrap();
    std::fs::write(d.join("evil.key"), key.pem()).unwrap();
    let friendly = format!("alice{OSC52}\u{9b}2J");
    openssl(
        d,
        &[
            "pkcs12", "-export", "-in", "evil.pem", "-inkey", "evil.key", "-name", &friendly,
            "-passout", "pass:", "-out", "evil.p12",
        ],
    );
    let clean = |what: String, args: &[&str]| {
        let output = certlens(d, args);
        assert!(
            output.status.code().is_some_and(|code| code < 2),
            "{what}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(!text.is_empty(), "{what}");
        let found = control_characters(&text);
        assert!(found.is_empty(), "{what}: {found:?} in\n{text}");
        text.into_owned()
    };
    for file in ["evil.pem", "evil.p12"] {
        for profile in certlens::fields::Profile::ALL {
            for format in ["text", "headers"] {
                clean(
                    format!("{file} {} {format}", profile.name()),
                    &[
                        "fields",
                        file,
                        "--profile",
                        profile.name(),
                        "--format",
                        format,
                    ],
                );
            }
        }
        for format in ["text", "headers"] {
            let text = clean(
                format!("{file} all {format}"),
                &["fields", file, "--profile", "all", "--format", format],
            );
            // The bytes are spelled out, not lost.
            assert!(text.contains("\\x1b]52;c;ZXZpbA==\\x07"), "{text}");
        }
        for format in ["md", "csv", "html"] {
            clean(
                format!("{file} report {format}"),
                &["report", file, "--format", format, "--ca", "evil.pem"],
            );
        }
        clean(
            format!("{file} verify"),
            &["verify", file, "--ca", "evil.pem"],
        );
    }
    // JSON and files written with --output stay exact.
    let output = certlens(d, &["fields", "evil.p12", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["chain"][0]["friendlyName"], friendly.as_str());
    let output = certlens(
        d,
        &["report", "evil.pem", "--format", "md", "-o", "evil.md"],
    );
    assert!(output.status.success());
    let written = std::fs::read_to_string(d.join("evil.md")).unwrap();
    assert!(
        written.contains('\u{1b}') || written.contains("&#"),
        "{written}"
    );
}

#[test]
fn proxy_passwords_never_appear_in_errors_json_or_the_printed_curl() {
    let pki = crate::common::Pki::new();
    pki.write_identity();
    // Nothing listens on port 9 of loopback: the proxy is unreachable.
    for (proxy, password) in [
        ("http://u:pa/ss-1@127.0.0.1:9", "pa/ss-1"),
        ("alice:pw-2@127.0.0.1:9", "pw-2"),
        ("socks5://u:p@ss-3?x@127.0.0.1:9", "ss-3"),
    ] {
        for extra in [
            &["--format", "json"][..],
            &["--format", "text"],
            &["--print-curl"],
        ] {
            let mut args = vec![
                "test",
                "https://edge.example/",
                "--identity",
                "identity.pem",
                "--proxy",
                proxy,
            ];
            args.extend_from_slice(extra);
            let output = certlens(pki.path(), &args);
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(!all.is_empty(), "{proxy} {extra:?}");
            assert!(!all.contains(password), "{proxy} {extra:?}: {all}");
        }
    }
}

#[test]
fn a_password_variable_must_be_a_variable_name() {
    let pki = crate::common::Pki::new();
    for name in ["X\"; touch pwned; \"", "1ABC", "A-B", "$(id)", ""] {
        let output = certlens(
            pki.path(),
            &[
                "test",
                "https://edge.example/",
                "--identity",
                "leaf.pem",
                "--password-env",
                name,
                "--print-curl",
            ],
        );
        assert_eq!(output.status.code(), Some(2), "{name}");
        assert!(output.stdout.is_empty(), "{name}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains("environment variable name"), "{name}: {err}");
    }
    assert!(!pki.file("pwned").exists());
    let output = certlens(
        pki.path(),
        &[
            "test",
            "https://edge.example/",
            "--identity",
            "leaf.pem",
            "--password-env",
            "MY_PASSWORD_2",
            "--print-curl",
        ],
    );
    assert_eq!(output.status.code(), Some(0));
}

/// Damage in an encryption parameter is damage, whatever the password; damage where a wrong
/// password would fail the same way (a MAC) says both.
#[test]
fn damaged_encryption_parameters_are_not_called_a_wrong_password() {
    let pki = crate::common::Pki::new();
    std::fs::write(pki.file("pw"), "right").unwrap();
    openssl(
        pki.path(),
        &[
            "pkcs8",
            "-topk8",
            "-in",
            "leaf.key",
            "-outform",
            "DER",
            "-out",
            "key.der",
            "-v2",
            "aes-256-cbc",
            "-passout",
            "pass:right",
        ],
    );
    let mut der = std::fs::read(pki.file("key.der")).unwrap();
    // The PBKDF2 salt: OID 1.2.840.113549.1.5.12, then SEQUENCE { OCTET STRING salt … }.
    let pbkdf2 = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0C];
    let at = der.windows(pbkdf2.len()).position(|w| w == pbkdf2).unwrap() + pbkdf2.len();
    let salt = at + der[at..].iter().position(|&b| b == 0x04).unwrap();
    der[salt] = 0x13; // the salt is no longer an OCTET STRING
    let block = format!(
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\n{}\n-----END ENCRYPTED PRIVATE KEY-----\n",
        base64_lines(&der)
    );
    let leaf = std::fs::read_to_string(pki.file("leaf.pem")).unwrap();
    std::fs::write(pki.file("damaged.pem"), leaf + &block).unwrap();
    let err = crate::common::expect_input_error(
        pki.path(),
        &["fields", "damaged.pem", "--password-file", "pw"],
    );
    assert!(
        err.contains("damaged")
            && err.contains("PBES2 parameters")
            && !err.contains("wrong password"),
        "{err}"
    );

    // A PKCS#12 file whose MAC value has one byte changed.
    pki.export_p12("id.p12", &[], "right");
    let mut p12 = std::fs::read(pki.file("id.p12")).unwrap();
    // MacData is last: its salt and iteration count follow the digest, so the digest's last
    // byte sits before those (8-byte salt: 04 08 …, iterations 02 02 08 00).
    let tail = p12.len() - (2 + 8) - 4 - 1;
    p12[tail] ^= 0x01;
    std::fs::write(pki.file("mac.p12"), &p12).unwrap();
    let err = crate::common::expect_input_error(
        pki.path(),
        &["fields", "mac.p12", "--password-file", "pw"],
    );
    assert!(err.contains("wrong password, or a damaged file"), "{err}");
}

fn base64_lines(der: &[u8]) -> String {
    use base64::Engine as _;
    let text = base64::engine::general_purpose::STANDARD.encode(der);
    text.as_bytes()
        .chunks(64)
        .map(|line| String::from_utf8_lossy(line).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A DER certificate or PKCS#12 file that holds the text `-----BEGIN ` is still read as DER.
#[test]
fn der_files_that_mention_a_pem_header_are_read_as_der() {
    let dir = temp_dir();
    let d = dir.path();
    let key = Key::generate();
    let leaf = craft::build(
        &Spec {
            subject: name(&[("2.5.4.3", 0x0C, b"-----BEGIN CERTIFICATE-----")]),
            ..Spec::default()
        },
        &key,
        &key,
    );
    std::fs::write(d.join("odd.der"), &leaf).unwrap();
    let output = certlens(d, &["fields", "odd.der", "--format", "json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["source"]["format"], "der");
    std::fs::write(d.join("odd.pem"), craft::cert_pem(&leaf)).unwrap();
    std::fs::write(d.join("odd.key"), key.pem()).unwrap();
    openssl(
        d,
        &[
            "pkcs12",
            "-export",
            "-in",
            "odd.pem",
            "-inkey",
            "odd.key",
            "-name",
            "-----BEGIN PRIVATE KEY-----",
            "-certpbe",
            "NONE",
            "-passout",
            "pass:",
            "-out",
            "odd.p12",
        ],
    );
    // The certificate bag is not encrypted, so its subject's text is in the file.
    let p12 = std::fs::read(d.join("odd.p12")).unwrap();
    assert!(p12.windows(11).any(|w| w == b"-----BEGIN "));
    let output = certlens(d, &["fields", "odd.p12", "--format", "json"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["source"]["format"], "pkcs12");
}
