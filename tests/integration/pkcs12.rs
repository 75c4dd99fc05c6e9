//! Every PKCS#12 file OpenSSL opens opens here, with the same certificates: files written by
//! the openssl CLI and by Python `cryptography` (Debian's, on OpenSSL 3) with no password, the
//! empty one, ASCII, Latin-1, CJK and emoji passwords, PBES2/AES and the legacy RC2/3DES
//! schemes, with and without a MAC; and files whose hidden derivations would cost minutes are
//! refused at once, naming the count.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{Pki, oracle_missing};

/// Debian's interpreter, whose `cryptography` links Debian's OpenSSL 3 (`python3-cryptography`).
const PYTHON: &str = "/usr/bin/python3";

const PASSWORDS: &[(&str, &str)] = &[
    ("ascii", "s3cret"),
    ("latin1", "pässwörd"),
    ("cjk", "密码パスワード"),
    ("emoji", "🔑 key 🗝️"),
];

/// Writes p12 files with Python `cryptography`; `None` when it is not installed.
fn python_files(pki: &Pki) -> Option<Vec<(String, String)>> {
    let ready = Command::new(PYTHON)
        .args(["-c", "import cryptography"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ready {
        oracle_missing(
            "python3-cryptography",
            "Debian's python3 cannot import cryptography",
        );
        return None;
    }
    let script = r#"
import json, sys
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs12, PrivateFormat
from cryptography.hazmat.primitives.serialization.pkcs12 import PBES

key = serialization.load_pem_private_key(open("leaf.key", "rb").read(), None)
leaf = x509.load_pem_x509_certificate(open("leaf.pem", "rb").read())
marker = b"-----END CERTIFICATE-----"
chain = [x509.load_pem_x509_certificate(block + marker)
         for block in open("chain.pem", "rb").read().split(marker) if b"BEGIN" in block]
passwords = json.loads(sys.argv[1])
made = []

def write(name, encryption, password):
    data = pkcs12.serialize_key_and_certificates(b"client", key, leaf, chain, encryption)
    open(name, "wb").write(data)
    made.append([name, password])

write("py-none.p12", serialization.NoEncryption(), "")
for label, password in passwords:
    raw = password.encode("utf-8")
    write(f"py-{label}-best.p12", serialization.BestAvailableEncryption(raw), password)
    write(f"py-{label}-3des.p12",
          PrivateFormat.PKCS12.encryption_builder()
          .key_cert_algorithm(PBES.PBESv1SHA1And3KeyTripleDESCBC)
          .hmac_hash(hashes.SHA1()).build(raw), password)
    write(f"py-{label}-aes.p12",
          PrivateFormat.PKCS12.encryption_builder()
          .key_cert_algorithm(PBES.PBESv2SHA256AndAES256CBC)
          .hmac_hash(hashes.SHA256()).build(raw), password)
print(json.dumps(made))
"#;
    let passwords = serde_json::to_string(PASSWORDS).unwrap();
    let output = Command::new(PYTHON)
        .args(["-c", script, &passwords])
        .current_dir(pki.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "python: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

/// Writes p12 files with the openssl CLI, the password given through the environment.
fn openssl_files(pki: &Pki) -> Vec<(String, String)> {
    let mut made = Vec::new();
    let forms: &[(&str, &[&str])] = &[
        ("default", &[]),
        ("legacy", &["-legacy"]),
        ("nomac", &["-nomac"]),
        ("legacy-nomac", &["-legacy", "-nomac"]),
    ];
    let empty = [("empty", "")];
    for (label, password) in PASSWORDS.iter().chain(empty.iter()) {
        for (form, extra) in forms {
            let name = format!("ossl-{label}-{form}.p12");
            pki.export_p12(&name, extra, password);
            made.push((name, (*password).to_owned()));
        }
    }
    made
}

fn run_openssl(dir: &Path, args: &[&str], password: &str) -> Vec<u8> {
    let output = Command::new("openssl")
        .args(args)
        .env("P12_PASSWORD", password)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// `certlens fields FILE --all` with the password from the environment.
fn certlens_fields(dir: &Path, file: &str, password: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_certlens"))
        .args([
            "fields",
            file,
            "--all",
            "--format",
            "json",
            "--password-env",
            "P12_PASSWORD",
        ])
        .env("P12_PASSWORD", password)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

/// The SHA-256 fingerprints `fields --all` prints, sorted.
fn fingerprints(stdout: &[u8]) -> Vec<String> {
    let mut all: Vec<String> = String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            value["tlsClientAuth"]["certFingerprintSHA256"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    all.sort();
    all
}

/// What `openssl pkcs12 -legacy` extracts from `file`: its certificates, fingerprinted.
fn openssl_fingerprints(dir: &Path, file: &str, password: &str) -> Vec<String> {
    let pem = run_openssl(
        dir,
        &[
            "pkcs12",
            "-legacy",
            "-in",
            file,
            "-nokeys",
            "-passin",
            "env:P12_PASSWORD",
        ],
        password,
    );
    let extracted = format!("{file}.certs.pem");
    std::fs::write(dir.join(&extracted), pem).unwrap();
    let output = certlens_fields(dir, &extracted, "");
    assert!(output.status.success());
    fingerprints(&output.stdout)
}

#[test]
fn every_p12_openssl_opens_loads_with_the_same_certificates() {
    let pki = Pki::new();
    let dir = pki.path();
    let mut files = openssl_files(&pki);
    files.extend(python_files(&pki).unwrap_or_default());
    let leaf_fingerprint = crate::common::openssl_out(
        dir,
        &[
            "x509",
            "-in",
            "leaf.pem",
            "-noout",
            "-fingerprint",
            "-sha256",
        ],
    );
    let leaf_fingerprint = leaf_fingerprint
        .trim()
        .rsplit('=')
        .next()
        .unwrap()
        .replace(':', "")
        .to_lowercase();
    for (file, password) in &files {
        let want = openssl_fingerprints(dir, file, password);
        assert_eq!(
            want.len(),
            3,
            "{file}: openssl extracts leaf, intermediate, root"
        );
        let output = certlens_fields(dir, file, password);
        assert!(
            output.status.success(),
            "{file} (password {password:?}): {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(fingerprints(&output.stdout), want, "{file}");
        let first: serde_json::Value = serde_json::from_str(
            String::from_utf8_lossy(&output.stdout)
                .lines()
                .next()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            first["tlsClientAuth"]["certFingerprintSHA256"], leaf_fingerprint,
            "{file}: the leaf comes first"
        );
        assert_eq!(
            first["source"]["privateKey"], true,
            "{file}: the key decrypts"
        );
    }
    assert!(files.len() >= 20, "{} files", files.len());
}

/// OpenSSL before 1.1.0 widened each UTF-8 byte of a non-ASCII password to 16 bits; `openssl
/// pkcs12` still retries that form ("using broken algorithm"), and so does Certlens.
#[test]
fn p12_made_with_byte_wise_password_encoding_opens_with_the_real_password() {
    let pki = Pki::new();
    let dir = pki.path();
    let password = "pässwörd";
    // The UTF-8 bytes read as Latin-1: OpenSSL 3 then writes exactly the byte-wise form.
    let widened: String = password.bytes().map(char::from).collect();
    for (file, extra) in [
        ("widened.p12", &["-legacy"][..]),
        ("widened-aes.p12", &[][..]),
    ] {
        pki.export_p12(file, extra, &widened);
        // The oracle: openssl opens it with the real password too.
        assert_eq!(openssl_fingerprints(dir, file, password).len(), 3, "{file}");
        let output = certlens_fields(dir, file, password);
        assert!(
            output.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn wrong_passwords_are_called_wrong_and_damage_is_called_damage() {
    let pki = Pki::new();
    let dir = pki.path();
    for (file, extra) in [
        ("d.p12", &[][..]),
        ("l.p12", &["-legacy"][..]),
        ("n.p12", &["-nomac"][..]),
    ] {
        pki.export_p12(file, extra, "right");

        let wrong = certlens_fields(dir, file, "wrong");
        assert_eq!(wrong.status.code(), Some(2), "{file}");
        let stderr = String::from_utf8_lossy(&wrong.stderr);
        assert!(stderr.contains("wrong password"), "{file}: {stderr}");

        // Cut short: truncated, whatever the password.
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let cut = format!("cut-{file}");
        std::fs::write(dir.join(&cut), &bytes[..bytes.len() * 2 / 3]).unwrap();
        let output = certlens_fields(dir, &cut, "right");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{cut}");
        assert!(
            stderr.contains("truncated") && !stderr.contains("password"),
            "{cut}: {stderr}"
        );
    }
}

/// DER builders for files no tool writes: bags hidden inside an encrypted safe.
mod build {
    use aws_lc_rs::cipher::{
        AES_256, EncryptionContext, PaddedBlockEncryptingKey, UnboundCipherKey,
    };
    use certlens::certificate::der::{encode, tag};

    pub fn oid(dotted: &str) -> Vec<u8> {
        encode(
            tag::OID,
            &certlens::certificate::der::oid_from_str(dotted).unwrap(),
        )
    }

    pub fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
        encode(tag::SEQUENCE, &parts.concat())
    }

    pub fn explicit(content: &[u8]) -> Vec<u8> {
        encode(0xA0, content)
    }

    pub fn integer(value: u64) -> Vec<u8> {
        let mut bytes = value.to_be_bytes().to_vec();
        while bytes.len() > 1 && bytes[0] == 0 && bytes[1] & 0x80 == 0 {
            bytes.remove(0);
        }
        if bytes[0] & 0x80 != 0 {
            bytes.insert(0, 0);
        }
        encode(tag::INTEGER, &bytes)
    }

    /// PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC.
    pub fn pbes2(iterations: u64, salt: &[u8], iv: &[u8; 16]) -> Vec<u8> {
        seq(&[
            oid("1.2.840.113549.1.5.13"),
            seq(&[
                seq(&[
                    oid("1.2.840.113549.1.5.12"),
                    seq(&[
                        encode(tag::OCTET_STRING, salt),
                        integer(iterations),
                        seq(&[oid("1.2.840.113549.2.9"), vec![0x05, 0x00]]),
                    ]),
                ]),
                seq(&[
                    oid("2.16.840.1.101.3.4.1.42"),
                    encode(tag::OCTET_STRING, iv),
                ]),
            ]),
        ])
    }

    /// Encrypts `plain` under PBES2 at `iterations`, as OpenSSL would.
    pub fn pbes2_encrypt(password: &str, iterations: u32, plain: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let salt = [7u8; 16];
        let iv = [9u8; 16];
        let mut key = [0u8; 32];
        aws_lc_rs::pbkdf2::derive(
            aws_lc_rs::pbkdf2::PBKDF2_HMAC_SHA256,
            std::num::NonZeroU32::new(iterations).unwrap(),
            &salt,
            password.as_bytes(),
            &mut key,
        );
        let cipher =
            PaddedBlockEncryptingKey::cbc_pkcs7(UnboundCipherKey::new(&AES_256, &key).unwrap())
                .unwrap();
        let mut data = plain.to_vec();
        cipher
            .less_safe_encrypt(&mut data, EncryptionContext::Iv128(iv.into()))
            .unwrap();
        (pbes2(u64::from(iterations), &salt, &iv), data)
    }

    /// A shrouded key bag whose key derivation asks for `iterations` (never run: refused).
    pub fn shrouded_key_bag(iterations: u64) -> Vec<u8> {
        seq(&[
            oid("1.2.840.113549.1.12.10.1.2"),
            explicit(&seq(&[
                pbes2(iterations, &[1; 16], &[2; 16]),
                encode(tag::OCTET_STRING, &[0x55; 48]),
            ])),
        ])
    }

    /// A secret bag holding an encrypted key, as Java keystores write them.
    pub fn secret_bag(iterations: u64) -> Vec<u8> {
        let encrypted = seq(&[
            pbes2(iterations, &[1; 16], &[2; 16]),
            encode(tag::OCTET_STRING, &[0x55; 48]),
        ]);
        seq(&[
            oid("1.2.840.113549.1.12.10.1.5"),
            explicit(&seq(&[
                oid("1.2.840.113549.1.12.10.1.1"),
                explicit(&encode(tag::OCTET_STRING, &encrypted)),
            ])),
        ])
    }

    fn data(content: &[u8]) -> Vec<u8> {
        seq(&[
            oid("1.2.840.113549.1.7.1"),
            explicit(&encode(tag::OCTET_STRING, content)),
        ])
    }

    /// A MAC-less PFX whose one safe holds `bags` in the clear.
    pub fn plain_pfx(bags: &[Vec<u8>]) -> Vec<u8> {
        let safe = data(&seq(bags));
        seq(&[integer(3), data(&seq(&[safe]))])
    }

    /// A MAC-less PFX whose one safe holds `bags` encrypted under `password` (2,048 rounds).
    pub fn encrypted_pfx(password: &str, bags: &[Vec<u8>]) -> Vec<u8> {
        let (algorithm, ciphertext) = pbes2_encrypt(password, 2048, &seq(bags));
        let safe = seq(&[
            oid("1.2.840.113549.1.7.6"),
            explicit(&seq(&[
                integer(0),
                seq(&[
                    oid("1.2.840.113549.1.7.1"),
                    algorithm,
                    encode(0x80, &ciphertext),
                ]),
            ])),
        ]);
        seq(&[integer(3), data(&seq(&[safe]))])
    }
}

fn refusal(bytes: &[u8], password: &str) -> (String, std::time::Duration) {
    let password = certlens::identity::Password::new(password);
    let started = std::time::Instant::now();
    let error = certlens::identity::load_bytes(bytes, Some(&password)).unwrap_err();
    (error.to_string(), started.elapsed())
}

#[test]
fn ten_thousand_costly_secret_bags_are_refused_before_any_derivation() {
    let bags = vec![build::secret_bag(1_000_000); 10_000];
    let (error, took) = refusal(&build::plain_pfx(&bags), "pw");
    assert!(
        error.contains("10,000,000,000 key-derivation iterations"),
        "{error}"
    );
    eprintln!("10,000 secret bags refused in {took:?}");
}

#[test]
fn key_bags_hidden_in_an_encrypted_safe_are_charged_before_they_are_decrypted() {
    let bags = vec![build::shrouded_key_bag(1_000_000); 20];
    let (error, took) = refusal(&build::encrypted_pfx("pw", &bags), "pw");
    // 20 keys at 1,000,000 plus the safe's own 2,048.
    assert!(
        error.contains("20,002,048 key-derivation iterations"),
        "{error}"
    );
    eprintln!("20 hidden key bags refused in {took:?}");

    let one = vec![build::shrouded_key_bag(2_000_000)];
    let (error, _) = refusal(&build::encrypted_pfx("pw", &one), "pw");
    assert!(
        error.contains("the private key asks for 2,000,000 key-derivation iterations"),
        "{error}"
    );
}

#[test]
fn a_cancelled_load_stops_deriving() {
    let pki = Pki::new();
    // MAC, certificate safe and key at 1,000,000 rounds each: seconds of work in all.
    pki.export_p12("slow.p12", &["-iter", "1000000"], "pw");
    let bytes = std::fs::read(pki.file("slow.p12")).unwrap();
    let cancel = certlens::identity::Cancel::new();
    let worker = {
        let cancel = cancel.clone();
        std::thread::spawn(move || {
            let password = certlens::identity::Password::new("pw");
            certlens::identity::load_bytes_cancellable(&bytes, Some(&password), &cancel)
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(100));
    let cancelled_at = std::time::Instant::now();
    cancel.cancel();
    let result = worker.join().unwrap();
    eprintln!(
        "the load stopped {:?} after the cancel",
        cancelled_at.elapsed()
    );
    assert!(
        matches!(result, Err(certlens::identity::LoadError::Cancelled)),
        "{result:?}"
    );
}
