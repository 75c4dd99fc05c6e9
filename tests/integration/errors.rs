//! Each bad input gets its own clear message and exit code 2, never a panic.

use crate::common::{Pki, expect_input_error, temp_dir};

#[test]
fn password_problems_are_named() {
    let pki = Pki::new();
    pki.export_p12("id.p12", &[], "right");
    pki.export_p12("legacy.p12", &["-legacy"], "right");
    std::fs::write(pki.file("wrong"), "wrong\n").unwrap();
    for file in ["id.p12", "legacy.p12"] {
        let err = expect_input_error(pki.path(), &["fields", file]);
        assert!(
            err.contains("protected by a password") && err.contains("--password-file"),
            "{err}"
        );
        let err = expect_input_error(pki.path(), &["fields", file, "--password-file", "wrong"]);
        assert!(err.contains("wrong password"), "{err}");
    }
    let err = expect_input_error(
        pki.path(),
        &["fields", "id.p12", "--password-file", "missing-file"],
    );
    assert!(err.contains("cannot read the password file"), "{err}");
}

#[test]
fn damaged_files_say_how_they_are_damaged() {
    let pki = Pki::new();
    pki.export_p12("id.p12", &[], "right");
    let bytes = std::fs::read(pki.file("id.p12")).unwrap();
    std::fs::write(pki.file("half.p12"), &bytes[..bytes.len() / 2]).unwrap();
    let err = expect_input_error(pki.path(), &["fields", "half.p12"]);
    assert!(err.contains("truncated"), "{err}");

    let pem = std::fs::read_to_string(pki.file("leaf.pem")).unwrap();
    let cut: String = pem.lines().take(4).map(|l| format!("{l}\n")).collect();
    std::fs::write(pki.file("cut.pem"), cut).unwrap();
    let err = expect_input_error(pki.path(), &["fields", "cut.pem"]);
    assert!(err.contains("truncated"), "{err}");

    let garbled = pem.replacen("MII", "MIA", 1);
    std::fs::write(pki.file("garbled.pem"), garbled).unwrap();
    let err = expect_input_error(pki.path(), &["fields", "garbled.pem"]);
    assert!(err.contains("corrupt"), "{err}");
}

#[test]
fn files_that_are_not_certificates_say_what_they_look_like() {
    let dir = temp_dir();
    let cases: &[(&str, &[u8], &str)] = &[
        ("empty.pem", b"", "an empty file"),
        ("archive.p12", b"PK\x03\x04\x14\x00\x00\x00", "ZIP archive"),
        ("notes.txt", b"just some notes\n", "plain text"),
        ("config.json", b"{\"cert\": 1}", "JSON"),
        ("id_ed25519", b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n", "OpenSSH private key"),
        ("keystore.jks", &[0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2], "Java KeyStore"),
        ("random.bin", &[0x8F, 0x00, 0x13, 0x37, 0xC0, 0xDE], "binary data"),
    ];
    for (name, bytes, says) in cases {
        std::fs::write(dir.path().join(name), bytes).unwrap();
        let err = expect_input_error(dir.path(), &["fields", name]);
        assert!(err.contains(says), "{name}: {err}");
    }
    let err = expect_input_error(dir.path(), &["fields", "no-such-file.p12"]);
    assert!(err.contains("cannot read"), "{err}");
}

#[test]
fn keys_without_their_certificate_are_refused() {
    let pki = Pki::new();
    let read = |f: &str| std::fs::read_to_string(pki.file(f)).unwrap();
    std::fs::write(
        pki.file("mismatch.pem"),
        [read("int.pem"), read("leaf.key")].concat(),
    )
    .unwrap();
    let err = expect_input_error(pki.path(), &["fields", "mismatch.pem"]);
    assert!(
        err.contains("does not match any of the 1 certificate"),
        "{err}"
    );
    let err = expect_input_error(pki.path(), &["fields", "leaf.key"]);
    assert!(err.contains("no certificate"), "{err}");
}

#[test]
fn unsupported_encryption_is_named() {
    let pki = Pki::new();
    pki.export_p12(
        "rc2-128.p12",
        &["-legacy", "-certpbe", "PBE-SHA1-RC2-128"],
        "right",
    );
    std::fs::write(pki.file("pw"), "right").unwrap();
    let err = expect_input_error(
        pki.path(),
        &["fields", "rc2-128.p12", "--password-file", "pw"],
    );
    assert!(err.contains("pbeWithSHAAnd128BitRC2-CBC"), "{err}");
}

#[test]
fn bad_ca_files_are_input_errors() {
    let pki = Pki::new();
    let err = expect_input_error(pki.path(), &["fields", "leaf.pem", "--ca", "leaf.key"]);
    assert!(err.contains("no certificate"), "{err}");
    std::fs::write(pki.file("empty-ca.pem"), "").unwrap();
    let err = expect_input_error(pki.path(), &["fields", "leaf.pem", "--ca", "empty-ca.pem"]);
    assert!(err.contains("empty"), "{err}");
}

/// Deterministic bit flips, truncations and length bombs of real files through the loader:
/// every outcome is a value (Ok or a LoadError), never an escaped panic.
#[test]
fn mutated_files_never_panic() {
    use certlens::identity::{LoadError, Password, load_bytes};
    let pki = Pki::new();
    pki.export_p12("id.p12", &[], "right");
    pki.export_p12("legacy.p12", &["-legacy"], "right");
    let password = Password::new("right");
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut outcomes = [0usize; 3];
    for file in ["id.p12", "legacy.p12", "leaf.pem", "chain.pem"] {
        let original = std::fs::read(pki.file(file)).unwrap();
        for round in 0..400 {
            let mut bytes = original.clone();
            let at = (next() as usize) % bytes.len();
            match round % 4 {
                0 => bytes[at] ^= 1 << (next() % 8),
                1 => bytes.truncate(at),
                2 => bytes.insert(at, next() as u8),
                _ => bytes[at] = 0x84, // a long-form length byte in the middle of things
            }
            match load_bytes(&bytes, Some(&password)) {
                Ok(_) => outcomes[0] += 1,
                Err(LoadError::Internal { .. }) => outcomes[2] += 1,
                Err(_) => outcomes[1] += 1,
            }
        }
    }
    eprintln!(
        "mutations: {} loaded, {} clear errors, {} contained decoder failures",
        outcomes[0], outcomes[1], outcomes[2]
    );
    assert_eq!(outcomes.iter().sum::<usize>(), 1600);
}
