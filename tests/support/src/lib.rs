//! What Certlens's tests, benchmarks and oracles share: temporary folders, the openssl CLI,
//! running the certlens binary, crafted certificates and the case set every oracle is shown,
//! nginx and proxies on loopback. A development-only crate; nothing ships from it.

pub mod cases;
pub mod chains;
pub mod cloudflare_api;
pub mod craft;
pub mod header_sink;
pub mod keytool;
pub mod mutate;
pub mod nginx;
pub mod proxies;
pub mod resumption;
pub mod secrets;
pub mod softhsm;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// Reports an oracle tool that is not installed. Under `CI=true` that is a failure naming the
/// tool (a green run must mean the oracle ran); elsewhere the test skips, saying so on stderr.
/// Returns so that the caller can `return` from the test.
pub fn oracle_missing(tool: &str, why: &str) {
    let message = format!("SKIPPED: {tool} is not available ({why}); scripts/setup.sh installs it");
    if std::env::var_os("CI").is_some_and(|v| v == "true" || v == "1") {
        panic!("{message} — under CI=true a missing oracle fails the run");
    }
    eprintln!("{message}");
}

/// Presents `cert`/`key` with curl (HTTP/1.1, header `X-Case: case`) to the TLS server on
/// 127.0.0.1:`port`, falling back to `openssl s_client` at security level 0 for a certificate
/// curl's OpenSSL refuses to load; `Err` carries the client's message.
pub fn present(port: u16, case: &str, cert: &Path, key: &Path) -> Result<(), String> {
    present_to_host("127.0.0.1", port, case, cert, key)
}

/// As [`present`], to `host` (resolved to 127.0.0.1, and sent as SNI).
pub fn present_to_host(
    host: &str,
    port: u16,
    case: &str,
    cert: &Path,
    key: &Path,
) -> Result<(), String> {
    let output = Command::new("curl")
        .args(["-sS", "-k", "--max-time", "10", "--cert"])
        .arg(cert)
        .arg("--key")
        .arg(key)
        .args([
            "--resolve",
            &format!("{host}:{port}:127.0.0.1"),
            "-H",
            &format!("X-Case: {case}"),
            &format!("https://{host}:{port}/"),
        ])
        .stdin(Stdio::null())
        .output()
        .expect("run curl");
    if output.status.success() {
        return Ok(());
    }
    let curl = String::from_utf8_lossy(&output.stderr).trim().to_owned();
    if !curl.contains("could not load PEM client certificate") {
        return Err(curl);
    }
    // curl's OpenSSL (security level 2) refuses to load a weak certificate at all; the
    // server's view is what matters, so present it with s_client at level 0.
    let mut child = Command::new("openssl")
        .args([
            "s_client",
            "-quiet",
            "-connect",
            &format!("127.0.0.1:{port}"),
            "-servername",
            host,
            "-cipher",
            "DEFAULT@SECLEVEL=0",
            "-cert",
        ])
        .arg(cert)
        .arg("-key")
        .arg(key)
        .arg("-cert_chain")
        .arg(cert)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run openssl s_client");
    use std::io::Write as _;
    let request = format!("GET / HTTP/1.0\r\nHost: {host}\r\nX-Case: {case}\r\n\r\n");
    let written = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(request.as_bytes());
    let status = child.wait().map_err(|e| e.to_string())?;
    written.map_err(|e| e.to_string())?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{curl}; s_client failed too"))
    }
}

/// A self-signed P-256 certificate for `subject`, valid two days, made by the openssl CLI in
/// `dir` as `cert` with its key in `key`; `extra` goes on the command line (`-addext …`).
pub fn self_signed(dir: &Path, key: &str, cert: &str, subject: &str, extra: &[&str]) {
    let mut args = vec![
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        key,
        "-out",
        cert,
        "-days",
        "2",
        "-subj",
        subject,
    ];
    args.extend_from_slice(extra);
    openssl(dir, &args);
}

/// A temporary folder that lives as long as the value.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("certlens-test")
        .tempdir()
        .expect("temp dir")
}

/// Runs `openssl` with `args` in `dir`; panics with its stderr on failure.
pub fn openssl(dir: &Path, args: &[&str]) {
    openssl_out(dir, args);
}

/// Runs `openssl` and returns its stdout as text; panics with its stderr on failure.
pub fn openssl_out(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run openssl");
    assert!(
        output.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

/// The certlens binary cargo built beside the running test or benchmark (which live in
/// `target/<profile>/deps`).
pub fn binary() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    let profile_dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("a test runs from target/<profile>/deps");
    profile_dir.join(format!("certlens{}", std::env::consts::EXE_SUFFIX))
}

/// Runs the certlens binary in `dir` with no standard input.
pub fn certlens(dir: &Path, args: &[&str]) -> Output {
    Command::new(binary())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("run certlens")
}

/// Runs `certlens fields … --format json` and parses the object; panics unless it exits 0.
pub fn fields_json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["fields"];
    all.extend_from_slice(args);
    let output = certlens(dir, &all);
    assert!(
        output.status.success(),
        "certlens {all:?} exited {:?}: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("certlens printed JSON")
}

/// Runs `certlens test … --format json`; returns the exit code and the parsed report.
pub fn test_json(dir: &Path, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut all = vec!["test"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let output = certlens(dir, &all);
    let json = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("{all:?}: {}", String::from_utf8_lossy(&output.stderr)));
    (output.status.code(), json)
}

/// The median wall time of 20 runs of a command (after one warm-up run), output discarded.
pub fn median_run(dir: &Path, program: &str, args: &[&str]) -> std::time::Duration {
    median_run_with_env(dir, program, args, &[])
}

/// [`median_run`] with `env` set for the program.
pub fn median_run_with_env(
    dir: &Path,
    program: &str,
    args: &[&str],
    env: &[(&str, &str)],
) -> std::time::Duration {
    let mut times: Vec<std::time::Duration> = (0..21)
        .map(|_| {
            let start = std::time::Instant::now();
            let status = Command::new(program)
                .args(args)
                .current_dir(dir)
                .envs(env.iter().copied())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .expect("run");
            assert!(status.success(), "{program} {args:?}");
            start.elapsed()
        })
        .skip(1)
        .collect();
    times.sort();
    times[times.len() / 2]
}

/// The stderr of a run that must fail with exit code 2 and no panic.
pub fn expect_input_error(dir: &Path, args: &[&str]) -> String {
    let output = certlens(dir, args);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "certlens {args:?}: {stderr}");
    assert!(
        !stderr.contains("panicked"),
        "certlens {args:?} panicked: {stderr}"
    );
    assert!(output.stdout.is_empty(), "nothing on stdout on error");
    stderr
}

/// A small PKI made by the openssl CLI: root CA → intermediate → client leaf (P-256), all v3.
pub struct Pki {
    pub dir: tempfile::TempDir,
}

impl Default for Pki {
    fn default() -> Self {
        Self::new()
    }
}

impl Pki {
    pub fn new() -> Self {
        let dir = temp_dir();
        let d = dir.path();
        std::fs::write(
            d.join("ca.ext"),
            "basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
        )
        .unwrap();
        std::fs::write(
            d.join("leaf.ext"),
            "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n",
        )
        .unwrap();
        openssl(
            d,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "root.key",
                "-out",
                "root.pem",
                "-days",
                "3650",
                "-subj",
                "/C=US/O=Certlens Test, Inc./CN=Certlens Test Root",
                "-addext",
                "keyUsage=critical,keyCertSign,cRLSign",
            ],
        );
        openssl(
            d,
            &[
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "int.key",
                "-out",
                "int.csr",
                "-subj",
                "/C=US/O=Certlens Test, Inc./CN=Certlens Test Intermediate",
            ],
        );
        openssl(
            d,
            &[
                "x509",
                "-req",
                "-in",
                "int.csr",
                "-CA",
                "root.pem",
                "-CAkey",
                "root.key",
                "-set_serial",
                "4096",
                "-days",
                "1825",
                "-extfile",
                "ca.ext",
                "-out",
                "int.pem",
            ],
        );
        openssl(
            d,
            &[
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:P-256",
                "-nodes",
                "-keyout",
                "leaf.key",
                "-out",
                "leaf.csr",
                "-utf8",
                "-subj",
                "/C=DE/L=Zürich/O=Müller & Söhne, GmbH/OU=R&D\\/Lab/CN= alice #1 ",
            ],
        );
        openssl(
            d,
            &[
                "x509",
                "-req",
                "-in",
                "leaf.csr",
                "-CA",
                "int.pem",
                "-CAkey",
                "int.key",
                "-set_serial",
                "0x936EACBE07F201DF",
                "-days",
                "365",
                "-extfile",
                "leaf.ext",
                "-out",
                "leaf.pem",
            ],
        );
        let chain = [
            std::fs::read_to_string(d.join("int.pem")).unwrap(),
            std::fs::read_to_string(d.join("root.pem")).unwrap(),
        ]
        .concat();
        std::fs::write(d.join("chain.pem"), chain).unwrap();
        Self { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Exports leaf + key (+ `chain.pem` unless `extra` says otherwise) as PKCS#12 with openssl.
    pub fn export_p12(&self, out: &str, extra: &[&str], password: &str) {
        let pass = format!("pass:{password}");
        let mut args = vec![
            "pkcs12",
            "-export",
            "-in",
            "leaf.pem",
            "-inkey",
            "leaf.key",
            "-certfile",
            "chain.pem",
            "-passout",
            &pass,
            "-out",
            out,
        ];
        args.extend_from_slice(extra);
        openssl(self.path(), &args);
    }

    /// Writes the leaf's key as encrypted PKCS#8 (`openssl pkcs8 -topk8`, plus `extra`) to `out`.
    pub fn encrypt_key(&self, out: &str, extra: &[&str], password: &str) {
        let pass = format!("pass:{password}");
        let mut args = vec![
            "pkcs8", "-topk8", "-in", "leaf.key", "-out", out, "-passout", &pass,
        ];
        args.extend_from_slice(extra);
        openssl(self.path(), &args);
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A client leaf `name.pem` / `name.key` (subject `/O=<organization>/CN=<name>`), its key made
    /// by openssl's `-newkey` arguments `newkey`, signed by the intermediate.
    pub fn issue_leaf(&self, name: &str, organization: &str, newkey: &[&str]) {
        let (key, csr, cert) = (
            format!("{name}.key"),
            format!("{name}.csr"),
            format!("{name}.pem"),
        );
        let subject = format!("/O={organization}/CN={name}");
        let mut args = vec![
            "req", "-new", "-nodes", "-keyout", &key, "-out", &csr, "-subj", &subject,
        ];
        args.extend_from_slice(newkey);
        openssl(self.path(), &args);
        openssl(
            self.path(),
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "int.pem",
                "-CAkey",
                "int.key",
                "-CAcreateserial",
                "-days",
                "30",
                "-extfile",
                "leaf.ext",
                "-out",
                &cert,
            ],
        );
    }

    /// Writes `identity.pem` — the leaf, the intermediate and the leaf's key, as a client sends
    /// them — and returns its path.
    pub fn write_identity(&self) -> PathBuf {
        let read = |f: &str| std::fs::read_to_string(self.file(f)).unwrap();
        let path = self.file("identity.pem");
        std::fs::write(
            &path,
            [read("leaf.pem"), read("int.pem"), read("leaf.key")].concat(),
        )
        .unwrap();
        path
    }

    /// What openssl says about `cert` (a PEM file): the oracle for the nginx profile.
    pub fn openssl_view(&self, cert: &str) -> OpensslView {
        let out = openssl_out(
            self.path(),
            &[
                "x509",
                "-in",
                cert,
                "-noout",
                "-nameopt",
                "RFC2253",
                "-subject",
                "-issuer",
                "-serial",
                "-startdate",
                "-enddate",
                "-fingerprint",
                "-sha1",
            ],
        );
        let get = |prefix: &str| {
            out.lines()
                .find_map(|l| l.strip_prefix(prefix))
                .unwrap_or_else(|| panic!("{prefix} in {out}"))
                .to_owned()
        };
        OpensslView {
            subject: get("subject="),
            issuer: get("issuer="),
            serial: get("serial="),
            not_before: get("notBefore="),
            not_after: get("notAfter="),
            sha1: get("sha1 Fingerprint=").replace(':', "").to_lowercase(),
        }
    }
}

/// Fields as the openssl CLI prints them.
#[derive(Debug)]
pub struct OpensslView {
    pub subject: String,
    pub issuer: String,
    pub serial: String,
    pub not_before: String,
    pub not_after: String,
    pub sha1: String,
}

/// A `localhost` server identity from a fresh local CA, whose certificate is written to
/// `dir/ca_file` for `--server-ca`.
pub fn local_server(dir: &Path, ca_name: &str, ca_file: &str) -> certlens::identity::Identity {
    let ca = certlens::echo_server::LocalCa::generate(ca_name).expect("generate a CA");
    let server = ca.issue_server().expect("issue a server certificate");
    std::fs::write(dir.join(ca_file), &ca.pair.cert_pem).expect("write the CA");
    certlens::identity::load_bytes(
        format!("{}{}", server.cert_pem, server.key_pem).as_bytes(),
        None,
    )
    .and_then(|file| file.identity())
    .expect("the generated identity loads")
}
