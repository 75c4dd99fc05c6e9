//! Each bad input gets its own clear message and exit code 2, never a panic.

use crate::common::mutate::Mutator;
use crate::common::{Pki, certlens, expect_input_error, openssl, temp_dir};

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
        ("keystore.jks", &[0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2], "truncated: the keystore"),
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
        "rc4.p12",
        &["-legacy", "-certpbe", "PBE-SHA1-RC4-128"],
        "right",
    );
    std::fs::write(pki.file("pw"), "right").unwrap();
    let err = expect_input_error(pki.path(), &["fields", "rc4.p12", "--password-file", "pw"]);
    assert!(err.contains("pbeWithSHAAnd128BitRC4"), "{err}");
    // Every PKCS#12 scheme with a block cipher opens.
    for (file, scheme) in [
        ("rc2-128.p12", "PBE-SHA1-RC2-128"),
        ("2des.p12", "PBE-SHA1-2DES"),
    ] {
        pki.export_p12(
            file,
            &["-legacy", "-certpbe", scheme, "-keypbe", scheme],
            "right",
        );
        let output = certlens(pki.path(), &["fields", file, "--password-file", "pw"]);
        assert!(
            output.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
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
    let mut mutator = Mutator::new(0x9E37_79B9_7F4A_7C15);
    let mut outcomes = [0usize; 3];
    for file in ["id.p12", "legacy.p12", "leaf.pem", "chain.pem"] {
        let original = std::fs::read(pki.file(file)).unwrap();
        for round in 0..400 {
            match load_bytes(&mutator.mutate(&original, round), Some(&password)) {
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

/// The same kind of damage through the shipped binary, as a user meets it: `certlens fields`
/// on thousands of mutated p12, PEM and DER files exits 0 (read) or 2 (a clear input error),
/// never panics, and never takes more than 5 s on one file.
#[test]
fn mutated_files_through_the_binary_exit_cleanly() {
    use base64::Engine as _;
    let pki = Pki::new();
    pki.export_p12("id.p12", &[], "right");
    pki.export_p12("legacy.p12", &["-legacy"], "right");
    pki.encrypt_key("enc.key", &[], "right");
    openssl(
        pki.path(),
        &[
            "x509", "-in", "leaf.pem", "-outform", "DER", "-out", "leaf.der",
        ],
    );
    openssl(
        pki.path(),
        &[
            "crl2pkcs7",
            "-nocrl",
            "-certfile",
            "chain.pem",
            "-outform",
            "DER",
            "-out",
            "chain.p7b",
        ],
    );
    let read = |name: &str| std::fs::read(pki.file(name)).unwrap();
    let key_der = {
        let text = String::from_utf8(read("enc.key")).unwrap();
        let body: String = text.lines().filter(|l| !l.starts_with("-----")).collect();
        base64::engine::general_purpose::STANDARD
            .decode(body)
            .unwrap()
    };
    let wrap = |der: &[u8], label: &str| {
        let body = base64::engine::general_purpose::STANDARD.encode(der);
        let lines: Vec<&str> = body
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        format!(
            "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
            lines.join("\n")
        )
    };
    let leaf_pem = String::from_utf8(read("leaf.pem")).unwrap();
    let mut mutator = Mutator::new(0xC0FF_EE00_D15E_A5E5);
    let mut cases: Vec<Vec<u8>> = Vec::new();
    for (file, rounds) in [
        ("id.p12", 400),
        ("legacy.p12", 300),
        ("leaf.der", 300),
        ("chain.p7b", 200),
        ("leaf.pem", 200),
        ("chain.pem", 200),
    ] {
        let original = read(file);
        cases.extend((0..rounds).map(|round| mutator.mutate(&original, round)));
    }
    // PEM whose base64 is intact but whose DER inside is damaged: the key, then the certificate.
    for round in 0..200 {
        let key = wrap(&mutator.mutate(&key_der, round), "ENCRYPTED PRIVATE KEY");
        cases.push(format!("{leaf_pem}{key}").into_bytes());
        let cert = wrap(&mutator.mutate(&read("leaf.der"), round), "CERTIFICATE");
        cases.push(cert.into_bytes());
    }
    let total = cases.len();
    for (i, case) in cases.iter().enumerate() {
        std::fs::write(pki.path().join(format!("case-{i}")), case).unwrap();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::with_capacity(total));
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if i >= total {
                        break;
                    }
                    let outcome = run_bounded(pki.path(), &format!("case-{i}"));
                    results.lock().unwrap().push((i, outcome));
                }
            });
        }
    });
    let results = results.into_inner().unwrap();
    let (mut read_ok, mut refused, mut slowest) = (0, 0, std::time::Duration::ZERO);
    let mut failures = Vec::new();
    for (i, outcome) in &results {
        slowest = slowest.max(outcome.elapsed);
        match (outcome.code, outcome.panicked) {
            (Some(0), false) => read_ok += 1,
            (Some(2), false) => refused += 1,
            _ => failures.push(format!(
                "case-{i}: exit code {:?} after {:?}: {}",
                outcome.code, outcome.elapsed, outcome.stderr
            )),
        }
    }
    eprintln!(
        "{total} mutated files through `certlens fields`: {read_ok} read, {refused} refused with exit 2, slowest {slowest:?}"
    );
    assert_eq!(results.len(), total);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// How one bounded run ended.
struct BoundedRun {
    code: Option<i32>,
    panicked: bool,
    elapsed: std::time::Duration,
    stderr: String,
}

/// Runs `certlens fields FILE` with the password in the environment, killing it after 5 s
/// (a kill shows as no exit code).
fn run_bounded(dir: &std::path::Path, file: &str) -> BoundedRun {
    let limit = std::time::Duration::from_secs(5);
    let stderr_path = dir.join(format!("{file}.stderr"));
    let started = std::time::Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_certlens"))
        .args(["fields", file, "--password-env", "CERTLENS_TEST_PASSWORD"])
        .env("CERTLENS_TEST_PASSWORD", "right")
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    };
    let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
    BoundedRun {
        code: status.and_then(|s| s.code()),
        panicked: stderr.contains("panicked"),
        elapsed: started.elapsed(),
        stderr,
    }
}

/// Every input a fuzz target once crashed on (`fuzz/regressions/TARGET/`) goes through the same
/// code again, so a fixed crash stays fixed without a nightly toolchain.
#[test]
fn fuzz_regressions_replay_cleanly() {
    use certlens::fields::{Context, EdgeView, Profile};
    use certlens::probe::{Echo, Summary, compare};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples");
    let leaf = certlens::identity::load_file(&samples.join("alice.pem"), None)
        .unwrap()
        .certificates
        .remove(0);
    let view = |profile| EdgeView::compute(&leaf, &Context::default(), profile);
    let (local, other) = (view(Profile::Cloudflare), view(Profile::Nginx));
    let inputs = |target: &str| -> Vec<Vec<u8>> {
        std::fs::read_dir(root.join(target))
            .map(|entries| {
                entries
                    .map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut replayed = 0;
    for data in inputs("echo") {
        for truncated in [false, true] {
            let echo = Echo::parse(&data, truncated);
            let _ = echo.keys_with_prefix("x-cert-").count();
            let rows = compare(&local, &other, &echo);
            let _ = Summary::of(&rows);
        }
        replayed += 1;
    }
    for data in inputs("load") {
        let _ = certlens::identity::load_bytes(&data, None);
        replayed += 1;
    }
    assert!(
        replayed > 0,
        "no regression inputs under {}",
        root.display()
    );
}
