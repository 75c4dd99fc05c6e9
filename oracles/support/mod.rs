//! The certificate builders and the crafted case set of Certlens's own integration tests,
//! shared so that every oracle is shown the same certificates.

#![allow(dead_code)]

#[path = "../../tests/integration/common/cases.rs"]
pub mod cases;
pub mod chains;
#[path = "../../tests/integration/common/craft.rs"]
pub mod craft;

/// Runs the openssl CLI (the builders use it for RSA keys and other digests).
pub fn openssl(dir: &std::path::Path, args: &[&str]) {
    let output = std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
