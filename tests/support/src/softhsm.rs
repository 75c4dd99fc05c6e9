//! SoftHSM 2 as a real PKCS#11 token, one per test in a private folder (`SOFTHSM2_CONF`), with
//! keys imported by OpenSC's `pkcs11-tool` as sensitive and not extractable, and OpenSC's
//! `pkcs11-spy` to record every call a program makes to the module.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// SoftHSM's module.
pub const SOFTHSM_MODULE: &str = "/usr/lib/softhsm/libsofthsm2.so";
/// OpenSC's logging module, which forwards to the module in `PKCS11SPY`.
pub const SPY_MODULE: &str = "/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so";
/// The user PIN every test token gets.
pub const PIN: &str = "pin-7Tq9x";

/// True when SoftHSM, pkcs11-tool and pkcs11-spy are installed; otherwise reports the missing
/// oracle (a failure under `CI=true`).
pub fn softhsm_available() -> bool {
    let tools = Command::new("softhsm2-util")
        .arg("--version")
        .output()
        .is_ok()
        && Command::new("pkcs11-tool").arg("--help").output().is_ok();
    if tools && Path::new(SOFTHSM_MODULE).exists() && Path::new(SPY_MODULE).exists() {
        return true;
    }
    crate::oracle_missing(
        "SoftHSM 2 and OpenSC",
        "softhsm2-util, pkcs11-tool or pkcs11-spy is missing",
    );
    false
}

/// One initialised SoftHSM token in its own folder (or, for a test that runs the window in
/// its own process, in SoftHSM's system folder, deleted when dropped).
pub struct SoftHsm {
    dir: tempfile::TempDir,
    /// The token's label.
    pub label: String,
    system: bool,
}

impl Drop for SoftHsm {
    fn drop(&mut self) {
        if self.system {
            let _ = Command::new("softhsm2-util")
                .args(["--delete-token", "--token", &self.label])
                .output();
        }
    }
}

impl SoftHsm {
    /// A fresh token labelled `label`, user PIN [`PIN`], SO PIN `5678`.
    pub fn new(label: &str) -> Self {
        let dir = crate::temp_dir();
        std::fs::create_dir(dir.path().join("tokens")).unwrap();
        std::fs::write(
            dir.path().join("softhsm2.conf"),
            format!(
                "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
                dir.path().join("tokens").display()
            ),
        )
        .unwrap();
        let hsm = Self {
            dir,
            label: label.to_owned(),
            system: false,
        };
        hsm.init();
        hsm
    }

    /// A fresh token in SoftHSM's system folder (the default configuration), for code that
    /// runs in the test's own process; `None` when that folder is not writable here.
    pub fn system(label: &str) -> Option<Self> {
        let folder = Path::new("/var/lib/softhsm/tokens");
        let writable = std::fs::metadata(folder).is_ok_and(|m| !m.permissions().readonly())
            && tempfile::tempdir_in(folder).is_ok();
        if !writable {
            crate::oracle_missing(
                "a writable SoftHSM token folder",
                "/var/lib/softhsm/tokens is not writable by this user",
            );
            return None;
        }
        let hsm = Self {
            dir: crate::temp_dir(),
            label: label.to_owned(),
            system: true,
        };
        hsm.init();
        Some(hsm)
    }

    fn init(&self) {
        let output = self
            .command("softhsm2-util")
            .args([
                "--init-token",
                "--free",
                "--label",
                &self.label,
                "--pin",
                PIN,
                "--so-pin",
                "5678",
            ])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// `SOFTHSM2_CONF` for this token.
    pub fn conf(&self) -> PathBuf {
        self.dir.path().join("softhsm2.conf")
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        if !self.system {
            command.env("SOFTHSM2_CONF", self.conf());
        }
        command.stdin(Stdio::null());
        command
    }

    /// Runs pkcs11-tool on this token, logged in.
    pub fn pkcs11_tool(&self, args: &[&str]) -> Output {
        self.command("pkcs11-tool")
            .args([
                "--module",
                SOFTHSM_MODULE,
                "--token-label",
                &self.label,
                "--login",
                "--pin",
                PIN,
            ])
            .args(args)
            .output()
            .unwrap()
    }

    fn write(&self, file: &Path, kind: &str, id: &str, label: &str, extra: &[&str]) {
        let file = file.to_str().unwrap();
        let mut args = vec![
            "--write-object",
            file,
            "--type",
            kind,
            "--id",
            id,
            "--label",
            label,
        ];
        args.extend_from_slice(extra);
        let output = self.pkcs11_tool(&args);
        assert!(
            output.status.success(),
            "pkcs11-tool {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Imports `key` (PEM) as a sensitive, non-extractable signing key and `cert` (PEM) under
    /// `id` (hex) and `label`.
    pub fn import(&self, dir: &Path, key: &str, cert: &str, id: &str, label: &str) {
        let key_der = dir.join(format!("{label}-key.der"));
        crate::openssl(
            dir,
            &[
                "pkcs8",
                "-topk8",
                "-nocrypt",
                "-in",
                key,
                "-outform",
                "DER",
                "-out",
                key_der.to_str().unwrap(),
            ],
        );
        self.write(
            &key_der,
            "privkey",
            id,
            label,
            &["--usage-sign", "--sensitive"],
        );
        std::fs::remove_file(&key_der).unwrap();
        self.import_certificate(dir, cert, id, label);
    }

    /// Generates a key pair on the token (`pkcs11-tool --keypairgen`, `key_type` such as
    /// `EC:edwards25519`) under `id` and `label`, and returns its public key (PEM).
    pub fn generate(&self, dir: &Path, key_type: &str, id: &str, label: &str) -> PathBuf {
        let output = self.pkcs11_tool(&[
            "--keypairgen",
            "--key-type",
            key_type,
            "--id",
            id,
            "--label",
            label,
        ]);
        assert!(
            output.status.success(),
            "keypairgen: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let public = dir.join(format!("{label}.pub.pem"));
        let output = self.pkcs11_tool(&[
            "--read-object",
            "--type",
            "pubkey",
            "--id",
            id,
            "-o",
            public.to_str().unwrap(),
        ]);
        assert!(
            output.status.success(),
            "read pubkey: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        public
    }

    /// Imports only the certificate `cert` (PEM) under `id` and `label`.
    pub fn import_certificate(&self, dir: &Path, cert: &str, id: &str, label: &str) {
        let der = dir.join(format!("{label}-cert.der"));
        crate::openssl(
            dir,
            &[
                "x509",
                "-in",
                cert,
                "-outform",
                "DER",
                "-out",
                der.to_str().unwrap(),
            ],
        );
        self.write(&der, "cert", id, label, &[]);
    }

    /// Marks the user PIN locked (`CKF_USER_PIN_LOCKED`) in the token's stored flags, as a
    /// token does after too many wrong PINs (SoftHSM itself never locks it).
    pub fn lock_user_pin(&self) {
        let tokens = self.dir.path().join("tokens");
        let folder = std::fs::read_dir(&tokens)
            .unwrap()
            .flatten()
            .next()
            .unwrap()
            .path();
        let file = folder.join("token.object");
        let mut bytes = std::fs::read(&file).unwrap();
        // The flags attribute (SoftHSM's CKA_OS_TOKENFLAGS), a ulong after its type and kind.
        let pattern = [0, 0, 0, 0, 0x80, 0, 0x53, 0x4b, 0, 0, 0, 0, 0, 0, 0, 2];
        let at = bytes
            .windows(pattern.len())
            .position(|w| w == pattern)
            .expect("the token's flags")
            + pattern.len();
        let flags = u64::from_be_bytes(bytes[at..at + 8].try_into().unwrap()) | 0x0004_0000;
        bytes[at..at + 8].copy_from_slice(&flags.to_be_bytes());
        std::fs::write(&file, bytes).unwrap();
    }

    /// Runs certlens in `dir` with this token (SoftHSM's module only) and `env`.
    pub fn certlens(&self, dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
        Command::new(crate::binary())
            .args(args)
            .current_dir(dir)
            .env("SOFTHSM2_CONF", self.conf())
            .env("CERTLENS_PKCS11_MODULE", SOFTHSM_MODULE)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    /// Runs certlens through pkcs11-spy, which logs every PKCS#11 call to `log`.
    pub fn certlens_spied(
        &self,
        dir: &Path,
        args: &[&str],
        log: &Path,
        env: &[(&str, &str)],
    ) -> Output {
        Command::new(crate::binary())
            .args(args)
            .current_dir(dir)
            .env("SOFTHSM2_CONF", self.conf())
            .env("CERTLENS_PKCS11_MODULE", SPY_MODULE)
            .env("PKCS11SPY", SOFTHSM_MODULE)
            .env("PKCS11SPY_OUTPUT", log)
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }
}

/// How many times the spy log records `function` (`C_Login`, `C_Sign`).
pub fn calls(log: &Path, function: &str) -> usize {
    std::fs::read_to_string(log)
        .unwrap_or_default()
        .lines()
        .filter(|line| line.trim_end().ends_with(&format!(": {function}")))
        .count()
}
