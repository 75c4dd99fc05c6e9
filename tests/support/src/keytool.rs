//! Java keystores made by `keytool` (a headless JRE) from a PKCS#12 file.

use std::path::Path;
use std::process::Command;

/// True when keytool runs; otherwise reports the missing oracle (a failure under `CI=true`).
pub fn keytool_available() -> bool {
    if Command::new("keytool").arg("-help").output().is_ok() {
        return true;
    }
    crate::oracle_missing(
        "keytool",
        "a Java runtime (default-jre-headless) is not installed",
    );
    false
}

/// `keytool -importkeystore`: the entry `alias` of `p12` (password `p12_password`) into `out`,
/// a keystore of `kind` (`JKS`, `JCEKS`, `PKCS12`) with `store_password`, its key with
/// `key_password`.
#[allow(clippy::too_many_arguments)]
pub fn import(
    dir: &Path,
    p12: &str,
    p12_password: &str,
    alias: &str,
    out: &str,
    kind: &str,
    store_password: &str,
    key_password: &str,
) {
    let output = Command::new("keytool")
        .current_dir(dir)
        .args([
            "-importkeystore",
            "-noprompt",
            "-srckeystore",
            p12,
            "-srcstoretype",
            "PKCS12",
            "-srcstorepass",
            p12_password,
            "-srcalias",
            alias,
            "-destkeystore",
            out,
            "-deststoretype",
            kind,
            "-deststorepass",
            store_password,
            "-destkeypass",
            key_password,
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "keytool: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
