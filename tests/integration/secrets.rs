//! A known password and known private keys go in; every command runs (successes and failures);
//! then everything Certlens wrote — standard output and error, reports, the echo server's
//! output, and every file under its home, config, cache and temporary folders — is searched for
//! them in every form. None may appear. (The window's save paths: `tests/gui`.)

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use crate::common::Pki;
use crate::common::secrets::Needles;

const PASSWORD: &str = "Certlens-Secret-Пароль-31337";
const WRONG_GUESS: &str = "Wrong-Guess-Never-Printed-42";

/// Runs Certlens with its home, config, cache, data and temporary folders inside `home`, and
/// the password in `CERTLENS_PW`.
struct Sandbox<'a> {
    dir: &'a Path,
    home: PathBuf,
    transcript: Vec<u8>,
}

impl<'a> Sandbox<'a> {
    fn new(dir: &'a Path) -> Self {
        let home = dir.join("home");
        for sub in ["config", "cache", "data", "state", "tmp"] {
            std::fs::create_dir_all(home.join(sub)).unwrap();
        }
        std::fs::create_dir_all(dir.join("out")).unwrap();
        Self {
            dir,
            home,
            transcript: Vec::new(),
        }
    }

    fn command(&self, args: &[&str], password: &str) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_certlens"));
        command
            .args(args)
            .current_dir(self.dir)
            .stdin(Stdio::null())
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("XDG_CACHE_HOME", self.home.join("cache"))
            .env("XDG_DATA_HOME", self.home.join("data"))
            .env("XDG_STATE_HOME", self.home.join("state"))
            .env("TMPDIR", self.home.join("tmp"))
            .env("CERTLENS_PW", password)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY");
        command
    }

    /// Runs a command to the end, keeps its output for the search, and returns it.
    fn run(&mut self, args: &[&str], password: &str) -> Output {
        let output = self.command(args, password).output().unwrap();
        self.transcript.extend_from_slice(&output.stdout);
        self.transcript.extend_from_slice(&output.stderr);
        output
    }

    fn ok(&mut self, args: &[&str]) {
        let output = self.run(args, PASSWORD);
        assert!(
            output.status.code().is_some_and(|c| c == 0 || c == 1),
            "certlens {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    fn fails(&mut self, args: &[&str], password: &str) {
        let output = self.run(args, password);
        assert_eq!(
            output.status.code(),
            Some(2),
            "certlens {args:?} should fail"
        );
    }

    fn spawn(&self, args: &[&str], log: &str) -> Child {
        self.command(args, PASSWORD)
            .stdout(std::fs::File::create(self.dir.join("out").join(log)).unwrap())
            .stderr(std::fs::File::create(self.dir.join("out").join(format!("{log}.err"))).unwrap())
            .spawn()
            .unwrap()
    }
}

#[test]
fn no_command_writes_the_password_or_the_key() {
    let pki = Pki::new();
    let d = pki.path();
    pki.export_p12("id.p12", &[], PASSWORD);
    pki.export_p12("legacy.p12", &["-legacy"], PASSWORD);
    pki.encrypt_key("enc.key", &[], PASSWORD);
    let identity_pem = std::fs::read_to_string(pki.file("leaf.pem")).unwrap()
        + &std::fs::read_to_string(pki.file("chain.pem")).unwrap()
        + &std::fs::read_to_string(pki.file("enc.key")).unwrap();
    std::fs::write(pki.file("id.pem"), identity_pem).unwrap();
    std::fs::write(pki.file("pw"), format!("{PASSWORD}\n")).unwrap();
    // The echo server's own key is a secret too.
    let server_ca = certlens::echo_server::LocalCa::generate("Secrets Server CA").unwrap();
    let server = server_ca.issue_server().unwrap();
    std::fs::write(pki.file("server.pem"), &server.cert_pem).unwrap();
    std::fs::write(pki.file("server.key"), &server.key_pem).unwrap();
    std::fs::write(pki.file("server-ca.pem"), &server_ca.pair.cert_pem).unwrap();

    let mut needles = Needles::default();
    needles.password("the password", PASSWORD);
    needles.password("a wrong password", WRONG_GUESS);
    needles.private_key("the client key", d, "leaf.key");
    needles.private_key("the server key", d, "server.key");

    let mut sandbox = Sandbox::new(d);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let url = format!("https://localhost:{port}/");
    let mut echo = sandbox.spawn(
        &[
            "echo-server",
            "--listen",
            &listen,
            "--client-ca",
            "root.pem",
            "--tls-cert",
            "server.pem",
            "--tls-key",
            "server.key",
        ],
        "echo-server.log",
    );
    wait_until_listening(port);

    let env = ["--password-env", "CERTLENS_PW"];
    let file = ["--password-file", "pw"];
    for (identity, source) in [("id.p12", env), ("legacy.p12", file), ("id.pem", env)] {
        let run = |sandbox: &mut Sandbox, args: &[&str]| {
            let mut all = args.to_vec();
            all.extend_from_slice(&source);
            sandbox.ok(&all);
        };
        let ca = ["--ca", "root.pem"];
        let server = ["--server-ca", "server-ca.pem"];
        for format in ["text", "json"] {
            run(
                &mut sandbox,
                &[&["fields", identity, "--format", format][..], &ca].concat(),
            );
            run(
                &mut sandbox,
                &[&["verify", identity, "--format", format][..], &ca].concat(),
            );
            run(
                &mut sandbox,
                &[
                    &["test", &url, "--identity", identity, "--format", format][..],
                    &ca,
                    &server,
                ]
                .concat(),
            );
        }
        run(&mut sandbox, &["fields", identity, "--all"]);
        for extension in ["json", "md", "csv", "html"] {
            let out = format!("out/{identity}.{extension}");
            run(
                &mut sandbox,
                &[
                    &["report", identity, "--url", &url, "-o", &out][..],
                    &ca,
                    &server,
                ]
                .concat(),
            );
        }
        // A wrong password, and the right one against a damaged file.
        sandbox.fails(
            &["fields", identity, "--password-env", "CERTLENS_PW"],
            WRONG_GUESS,
        );
    }
    let damaged = {
        let mut bytes = std::fs::read(pki.file("id.p12")).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0xFF;
        bytes
    };
    std::fs::write(pki.file("damaged.p12"), damaged).unwrap();
    sandbox.fails(
        &["fields", "damaged.p12", "--password-env", "CERTLENS_PW"],
        PASSWORD,
    );
    sandbox.ok(&["demo", "--check"]);

    // No command takes a password on the command line.
    for command in ["fields", "verify", "report"] {
        let output = sandbox.run(&[command, "id.p12", "--password", PASSWORD], PASSWORD);
        assert_eq!(output.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&output.stderr).contains("unexpected argument"));
    }
    for command in ["fields", "verify", "test", "report", "echo-server", "demo"] {
        let help = sandbox.run(&[command, "--help"], PASSWORD);
        let help = String::from_utf8_lossy(&help.stdout).into_owned();
        assert!(
            !help.contains("--password "),
            "{command} --help offers --password: {help}"
        );
    }

    let _ = echo.kill();
    let _ = echo.wait();
    let mut leaks: Vec<String> = needles
        .found_in(&sandbox.transcript)
        .into_iter()
        .map(|label| format!("standard output or error: {label}"))
        .collect();
    leaks.extend(needles.leaks_under(&d.join("out")));
    leaks.extend(needles.leaks_under(&sandbox.home));
    let files = Needles::count_files(&d.join("out")) + Needles::count_files(&sandbox.home);
    eprintln!(
        "searched {} bytes of terminal output and {files} written files",
        sandbox.transcript.len()
    );
    assert!(
        files >= 14,
        "the reports and the echo log were written ({files} files)"
    );
    assert!(leaks.is_empty(), "secrets leaked:\n{}", leaks.join("\n"));
}

/// The search itself finds a leak when there is one (so a clean result means something).
#[test]
fn the_search_finds_a_planted_leak() {
    let pki = Pki::new();
    let mut needles = Needles::default();
    needles.password("the password", PASSWORD);
    needles.private_key("the client key", pki.path(), "leaf.key");
    let planted = pki.path().join("planted");
    std::fs::create_dir_all(&planted).unwrap();
    std::fs::write(planted.join("a.txt"), format!("x {PASSWORD} y")).unwrap();
    std::fs::copy(pki.file("leaf.key"), planted.join("b.pem")).unwrap();
    let leaks = needles.leaks_under(&planted);
    assert!(
        leaks.iter().any(|l| l.contains("a.txt: the password")),
        "{leaks:?}"
    );
    assert!(
        leaks
            .iter()
            .any(|l| l.contains("b.pem: the client key (PKCS#8 PEM line 1)")),
        "{leaks:?}"
    );
    let text = String::from_utf8(
        std::process::Command::new("openssl")
            .args(["pkey", "-in", "leaf.key", "-text", "-noout"])
            .current_dir(pki.path())
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        needles
            .found_in(text.as_bytes())
            .contains(&"the client key (private number, colons)"),
        "openssl's own print of the key is recognised"
    );
}

fn wait_until_listening(port: u16) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the echo server never listened"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
