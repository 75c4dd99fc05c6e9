//! What must never appear in anything Certlens writes or copies: a password and a private key,
//! in every form a leak could take — text, hex (both cases, with and without colons), base64,
//! raw bytes. Shared by the command-line and the window secrets tests.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Stdio};

use base64::Engine as _;

/// Byte strings to look for, each with a label saying what leaked.
#[derive(Default)]
pub struct Needles(Vec<(String, Vec<u8>)>);

impl Needles {
    /// Adds `password` as text, base64 and hex.
    pub fn password(&mut self, label: &str, password: &str) {
        self.add(label, password.as_bytes());
        self.add(
            &format!("{label} (base64)"),
            base64::engine::general_purpose::STANDARD
                .encode(password)
                .as_bytes(),
        );
        self.add(
            &format!("{label} (hex)"),
            hex(password.as_bytes()).as_bytes(),
        );
    }

    /// Adds the private key in the unencrypted PEM file `key_file` (in `dir`): its DER, the
    /// DER's base64 lines, and its secret number (EC scalar or RSA private exponent) as raw
    /// bytes, hex and openssl's colon form.
    pub fn private_key(&mut self, label: &str, dir: &Path, key_file: &str) {
        // PKCS#8, as most files hold it, and the key type's own form (PKCS#1, SEC1).
        let forms = [
            (
                "PKCS#8",
                openssl(
                    dir,
                    &[
                        "pkcs8", "-topk8", "-nocrypt", "-in", key_file, "-outform", "DER",
                    ],
                ),
            ),
            (
                "traditional",
                openssl(
                    dir,
                    &["pkey", "-in", key_file, "-outform", "DER", "-traditional"],
                ),
            ),
        ];
        for (form, der) in forms {
            self.add(&format!("{label} ({form} DER)"), &der);
            let base64 = base64::engine::general_purpose::STANDARD.encode(&der);
            for (i, line) in base64.as_bytes().chunks(64).enumerate() {
                if line.len() == 64 {
                    self.add(&format!("{label} ({form} PEM line {})", i + 1), line);
                }
            }
        }
        let text = String::from_utf8(openssl(dir, &["pkey", "-in", key_file, "-text", "-noout"]))
            .expect("openssl prints text");
        let secret = secret_number(&text);
        assert!(secret.len() >= 16, "no private number in: {text}");
        let head = &secret[..16];
        self.add(&format!("{label} (private number)"), head);
        self.add(
            &format!("{label} (private number, hex)"),
            hex(head).as_bytes(),
        );
        self.add(
            &format!("{label} (private number, HEX)"),
            hex(head).to_uppercase().as_bytes(),
        );
        // openssl prints 15 bytes a line; the first 8 are on the first line however it starts.
        let colons: Vec<String> = head[..8].iter().map(|b| format!("{b:02x}")).collect();
        self.add(
            &format!("{label} (private number, colons)"),
            colons.join(":").as_bytes(),
        );
    }

    fn add(&mut self, label: &str, bytes: &[u8]) {
        self.0.push((label.to_owned(), bytes.to_vec()));
    }

    /// The labels of the needles found in `haystack`.
    pub fn found_in(&self, haystack: &[u8]) -> Vec<&str> {
        self.0
            .iter()
            .filter(|(_, needle)| {
                haystack
                    .windows(needle.len())
                    .any(|w| w == needle.as_slice())
            })
            .map(|(label, _)| label.as_str())
            .collect()
    }

    /// Every file under `root` (recursively) with the needles it holds; empty when clean.
    pub fn leaks_under(&self, root: &Path) -> Vec<String> {
        let mut leaks = Vec::new();
        let mut stack = vec![root.to_owned()];
        while let Some(dir) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    for label in self.found_in(&bytes) {
                        leaks.push(format!("{}: {label}", path.display()));
                    }
                }
            }
        }
        leaks
    }

    /// How many files under `root` were looked at.
    pub fn count_files(root: &Path) -> usize {
        let mut count = 0;
        let mut stack = vec![root.to_owned()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                if entry.path().is_dir() {
                    stack.push(entry.path());
                } else {
                    count += 1;
                }
            }
        }
        count
    }
}

/// The bytes of the `priv:` (EC, Ed25519) or `privateExponent:` (RSA) block of `openssl pkey
/// -text`, without a leading zero byte.
fn secret_number(text: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("priv:") || line.starts_with("privateExponent:") {
            inside = true;
            continue;
        }
        if inside {
            if !line.starts_with(' ') {
                break;
            }
            bytes.extend(
                line.trim()
                    .split(':')
                    .filter(|h| !h.is_empty())
                    .map(|h| u8::from_str_radix(h, 16).expect("hex byte")),
            );
        }
    }
    if bytes.first() == Some(&0) {
        bytes.remove(0);
    }
    bytes
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// This file is also compiled into the window's test binary (`tests/gui`, by `#[path]`), which
/// has no `common` module, so it carries its own small openssl runner (bytes, not text).
fn openssl(dir: &Path, args: &[&str]) -> Vec<u8> {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run openssl");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}
