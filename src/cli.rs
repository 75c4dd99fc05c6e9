//! The command line: clap definitions, password sources, and dispatch to the library.
//! Prints text or JSON; formats nothing itself.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::assess::Trust;
use crate::certificate::Certificate;
use crate::report::document;
use crate::echo_server::{EchoServer, EchoSettings};
use crate::fields::{EdgeView, Instant, Profile};
use crate::identity::{self, LoadError, LoadedFile, Password};
use crate::limits;
use crate::probe;
use crate::probe::LiveTest;
use crate::report;
use crate::verify::{self, Crl};

/// Inspect and test mTLS client certificates exactly as Cloudflare and nginx edges see them.
#[derive(Debug, Parser)]
#[command(name = "certlens", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Open the window (with FILE loaded).
    Gui {
        /// A certificate or identity to open.
        file: Option<PathBuf>,
    },
    /// Print every field the edge computes for a client certificate.
    Fields(FieldsArgs),
    /// Verify a client certificate against chosen CA(s), in the edge's own words.
    Verify(VerifyArgs),
    /// Send a real mTLS request with the identity and compare the echo with the local fields.
    Test(TestArgs),
    /// Run a local HTTPS server that asks for a client certificate and echoes like the Worker.
    EchoServer(EchoServerArgs),
    /// Make a demo CA and identity, start the echo server, and open the window ready to test.
    Demo(DemoArgs),
    /// Export what the edge will see as a JSON, Markdown, CSV or HTML report.
    Report(ReportArgs),
}

#[derive(Debug, Args)]
struct ReportArgs {
    /// The certificate or identity: .p12/.pfx, PEM, DER or .p7b.
    file: PathBuf,
    /// Whose formatting rules to follow.
    #[arg(long, value_enum, default_value_t = Profile::Cloudflare)]
    profile: Profile,
    #[command(flatten)]
    trust: TrustArgs,
    /// Also run the live test against this URL and include the comparison.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    #[command(flatten)]
    request: RequestArgs,
    /// Output format (default: from the -o file's extension).
    #[arg(long, value_enum)]
    format: Option<report::Format>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    output: Option<PathBuf>,
    #[command(flatten)]
    password: PasswordArgs,
}

#[derive(Debug, Args)]
struct TestArgs {
    /// The echo URL (https://).
    url: String,
    /// The client identity: .p12/.pfx or PEM with the key.
    #[arg(long, value_name = "FILE")]
    identity: PathBuf,
    /// Whose formatting and words to compare with.
    #[arg(long, value_enum, default_value_t = Profile::Cloudflare)]
    profile: Profile,
    /// The CA(s) the hostname's mTLS settings trust (computes certVerified locally).
    #[arg(long = "ca", value_name = "CA")]
    cas: Vec<PathBuf>,
    #[command(flatten)]
    request: RequestArgs,
    /// Print the equivalent curl command (the password stays in an environment variable)
    /// instead of sending the request.
    #[arg(long)]
    print_curl: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    format: VerifyFormat,
    #[command(flatten)]
    password: PasswordArgs,
}

/// How the live request is sent (`test`, and `report --url`).
#[derive(Debug, Args)]
#[command(next_help_heading = "Live request")]
struct RequestArgs {
    /// Also trust this CA for the server's own certificate (in addition to the system's).
    #[arg(long, value_name = "PEM", conflicts_with = "insecure")]
    server_ca: Vec<PathBuf>,
    /// Do not check the server's certificate (stated in the output).
    #[arg(long)]
    insecure: bool,
    /// Extra request header, `Name: value`; repeatable.
    #[arg(long = "header", value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// The HTTP method [default: GET, or POST with --data].
    #[arg(long, value_name = "METHOD")]
    method: Option<String>,
    /// Send this request body.
    #[arg(long, value_name = "TEXT", conflicts_with = "data_file")]
    data: Option<String>,
    /// Send this file as the request body.
    #[arg(long, value_name = "FILE")]
    data_file: Option<PathBuf>,
    /// Follow redirects, reporting every hop (at most 10); without it a redirect is reported.
    #[arg(long)]
    follow: bool,
    /// Send through this proxy: http://, https:// or socks5://[user:password@]host:port
    /// [default: HTTPS_PROXY / ALL_PROXY, minus NO_PROXY].
    #[arg(long, value_name = "URL", conflicts_with = "no_proxy")]
    proxy: Option<String>,
    /// Connect directly, whatever the environment's proxy variables say.
    #[arg(long)]
    no_proxy: bool,
    /// Offer only HTTP/1.1 (by ALPN).
    #[arg(long = "http1.1", conflicts_with = "http2")]
    http1: bool,
    /// Offer only HTTP/2 (h2, by ALPN).
    #[arg(long = "http2")]
    http2: bool,
    /// Reach HOST on PORT at these addresses instead of DNS's (curl's syntax); SNI and Host
    /// stay HOST; repeatable.
    #[arg(long, value_name = "HOST:PORT:ADDR[,ADDR]")]
    resolve: Vec<String>,
    /// Seconds allowed for connecting (DNS, TCP, proxy, TLS) and for each read of the answer.
    #[arg(long, value_name = "SECS", default_value_t = limits::DEFAULT_TIMEOUT.as_secs())]
    timeout: u64,
    /// The most response bytes read.
    #[arg(long, value_name = "BYTES", default_value_t = limits::DEFAULT_BODY_LIMIT)]
    max_body: usize,
}

impl Default for RequestArgs {
    fn default() -> Self {
        Self {
            server_ca: Vec::new(),
            insecure: false,
            headers: Vec::new(),
            method: None,
            data: None,
            data_file: None,
            follow: false,
            proxy: None,
            no_proxy: false,
            http1: false,
            http2: false,
            resolve: Vec::new(),
            timeout: limits::DEFAULT_TIMEOUT.as_secs(),
            max_body: limits::DEFAULT_BODY_LIMIT,
        }
    }
}

#[derive(Debug, Args)]
struct EchoServerArgs {
    /// Address to listen on (loopback unless you say otherwise).
    #[arg(long, default_value = "127.0.0.1:8443")]
    listen: std::net::SocketAddr,
    /// The CA the "edge" verifies client certificates against; repeatable.
    #[arg(long = "client-ca", value_name = "CA")]
    client_cas: Vec<PathBuf>,
    /// The server's certificate (PEM, chain); generated when not given.
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// The server's private key (PEM).
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Whose formatting and words the echo uses.
    #[arg(long, value_enum, default_value_t = Profile::Cloudflare)]
    profile: Profile,
    /// Offer only HTTP/1.1 by ALPN (default: h2 and HTTP/1.1).
    #[arg(long = "http1.1", conflicts_with = "http2")]
    http1: bool,
    /// Offer only h2 by ALPN, as an HTTP/2-only edge does.
    #[arg(long = "http2")]
    http2: bool,
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// Run the test once in the terminal and exit with its code (no window).
    #[arg(long)]
    check: bool,
}

/// How to verify: the CAs, the clock, revocation and the server's settings.
#[derive(Debug, Args, Clone)]
struct TrustArgs {
    /// CA certificate file(s) the edge trusts (PEM/DER/PKCS#7 bundles); repeatable.
    #[arg(long = "ca", value_name = "CA")]
    cas: Vec<PathBuf>,
    /// The moment of the request (RFC 3339, `YYYY-MM-DD`, or `@unix`); default now.
    #[arg(long, value_name = "TIME", value_parser = parse_instant)]
    at: Option<Instant>,
    /// Revocation list file(s) (PEM, several lists per file, or DER); repeatable. The nginx
    /// profile then checks every certificate of the chain, as ssl_crl does; for Cloudflare, a
    /// list from the issuer that checks out sets certRevoked to "1".
    #[arg(long = "crl", value_name = "CRL")]
    crls: Vec<PathBuf>,
    /// nginx's ssl_verify_depth: CA levels allowed above the client certificate.
    #[arg(long, value_name = "N", default_value_t = 3)]
    depth: usize,
    /// Accept a chain ending at a trusted intermediate (X509_V_FLAG_PARTIAL_CHAIN).
    #[arg(long)]
    partial_chain: bool,
}

#[derive(Debug, Args)]
struct VerifyArgs {
    /// The certificate or identity: .p12/.pfx, PEM, DER or .p7b.
    file: PathBuf,
    /// Whose rules and words to use.
    #[arg(long, value_enum, default_value_t = Profile::Cloudflare)]
    profile: Profile,
    #[command(flatten)]
    trust: TrustArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    format: VerifyFormat,
    #[command(flatten)]
    password: PasswordArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum VerifyFormat {
    Json,
    Text,
}

/// Where a password comes from. Never from the command line itself.
#[derive(Debug, Args, Clone, Default)]
pub struct PasswordArgs {
    /// Read the password from the first line of this file.
    #[arg(long, value_name = "FILE", conflicts_with = "password_env")]
    password_file: Option<PathBuf>,
    /// Read the password from this environment variable.
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
}

#[derive(Debug, Args)]
struct FieldsArgs {
    /// The certificate or identity: .p12/.pfx, PEM, DER or .p7b.
    file: PathBuf,
    /// Whose formatting rules to follow.
    #[arg(long, value_enum, default_value_t = Profile::Cloudflare)]
    profile: Profile,
    /// With --ca, certVerified and the issuer fields are computed too.
    #[command(flatten)]
    trust: TrustArgs,
    /// Print every certificate in the file (a CA bundle), one JSON object per line.
    #[arg(long)]
    all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FieldsFormat::Json)]
    format: FieldsFormat,
    #[command(flatten)]
    password: PasswordArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FieldsFormat {
    Json,
    Text,
    Headers,
}

fn parse_instant(text: &str) -> Result<Instant, String> {
    Instant::parse(text).ok_or_else(|| {
        format!("`{text}` is not a time (use 2025-01-31T12:00:00Z, 2025-01-31 or @unix)")
    })
}

/// Parses the process arguments and runs the command; returns the exit code.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Gui { file: None });
    let result = match command {
        Command::Gui { file } => gui_command(file),
        Command::Fields(args) => fields(&args),
        Command::Verify(args) => verify_command(&args),
        Command::Test(args) => test_command(&args),
        Command::EchoServer(args) => echo_server_command(&args),
        Command::Demo(args) => demo_command(&args),
        Command::Report(args) => report_command(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("certlens: {error:#}");
            ExitCode::from(2)
        }
    }
}

impl PasswordArgs {
    /// The password given by file or environment, if any.
    pub fn given(&self) -> anyhow::Result<Option<Password>> {
        if let Some(path) = &self.password_file {
            let text =
                zeroize::Zeroizing::new(std::fs::read_to_string(path).with_context(|| {
                    format!("cannot read the password file {}", path.display())
                })?);
            return Ok(Some(Password::from_file_contents(&text)));
        }
        if let Some(var) = &self.password_env {
            let Some(value) = std::env::var_os(var) else {
                bail!("the environment variable {var} (from --password-env) is not set");
            };
            let Some(value) = value.to_str() else {
                bail!("the environment variable {var} is not valid UTF-8");
            };
            return Ok(Some(Password::new(value)));
        }
        Ok(None)
    }
}

/// Loads `path`, asking for a password on the terminal when one is needed and none was given.
pub fn load_with_password(path: &Path, password: &PasswordArgs) -> anyhow::Result<LoadedFile> {
    let given = password.given()?;
    let describe = |e: LoadError| {
        // The library names no flag; the command line says which of its own to use.
        let hint = match &e {
            LoadError::PasswordNeeded { .. } => "; give it with --password-file or --password-env",
            _ => "",
        };
        anyhow::anyhow!("{e}{hint}").context(format!("cannot load {}", path.display()))
    };
    match identity::load_file(path, given.as_ref()) {
        Err(LoadError::PasswordNeeded { what })
            if given.is_none() && std::io::stdin().is_terminal() =>
        {
            let prompt = format!("Password for {} ({what}): ", path.display());
            let typed = rpassword::prompt_password(prompt)
                .context("cannot read the password from the terminal")?;
            identity::load_file(path, Some(&Password::new(typed))).map_err(describe)
        }
        other => other.map_err(describe),
    }
}

/// Reads every certificate of each CA file.
pub fn load_cas(paths: &[PathBuf], password: &PasswordArgs) -> anyhow::Result<Vec<Certificate>> {
    let mut cas = Vec::new();
    for path in paths {
        let file = load_with_password(path, password)
            .with_context(|| "reading a --ca file".to_string())?;
        if file.certificates.is_empty() {
            bail!(
                "the CA file {} holds no certificate (it holds only a private key)",
                path.display()
            );
        }
        cas.extend(file.certificates);
    }
    Ok(cas)
}

/// Loads the trust settings of a command (CA files, CRL, clock, depth).
fn load_trust(args: &TrustArgs, password: &PasswordArgs) -> anyhow::Result<Trust> {
    let mut crls = Vec::new();
    for path in &args.crls {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the CRL {}", path.display()))?;
        crls.extend(
            Crl::all_from_bytes(&bytes)
                .with_context(|| format!("cannot load the CRL {}", path.display()))?,
        );
    }
    Ok(Trust {
        cas: load_cas(&args.cas, password)?,
        crls,
        options: verify::Options {
            at: args.at.unwrap_or_else(Instant::now),
            depth: args.depth,
            partial_chain: args.partial_chain,
        },
    })
}

fn fields(args: &FieldsArgs) -> anyhow::Result<ExitCode> {
    let file = load_with_password(&args.file, &args.password)?;
    let trust = load_trust(&args.trust, &args.password)?;
    let identity = file
        .identity()
        .with_context(|| format!("cannot load {}", args.file.display()))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let print = |out: &mut std::io::BufWriter<_>,
                 identity: &identity::Identity,
                 fallback_issuer: Option<&Certificate>,
                 pretty: bool| {
        let (_, view) = trust.assess(identity, fallback_issuer, args.profile);
        print_fields(out, &file, identity, &view, args.format, pretty)
    };
    let written = if args.all {
        // Every certificate on its own, as if presented alone (a CA bundle, a chain); its
        // issuer may be any certificate of the file or a chosen CA.
        let pool = identity::IssuerPool::new(trust.cas.iter().chain(file.certificates.iter()));
        file.certificates.iter().try_for_each(|cert| {
            let alone = identity::Identity {
                leaf: cert.clone(),
                chain: Vec::new(),
                key: None,
            };
            print(&mut out, &alone, pool.issuer_of(cert), false)
        })
    } else {
        print(&mut out, &identity, identity.find_issuer(&trust.cas), true)
    };
    match written.and_then(|()| out.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => return Err(error.into()),
        _ => {}
    }
    Ok(ExitCode::SUCCESS)
}

fn verify_command(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let file = load_with_password(&args.file, &args.password)?;
    let trust = load_trust(&args.trust, &args.password)?;
    if trust.cas.is_empty() {
        bail!(
            "give the CA the edge trusts with --ca CA (the file the hostname's mTLS settings use)"
        );
    }
    let identity = file
        .identity()
        .with_context(|| format!("cannot load {}", args.file.display()))?;
    let verification = trust
        .verify(&identity.leaf, &identity.chain, args.profile)
        .context("no CA to verify against")?;
    let revoked = trust.revokes(&identity.leaf, verification.issuer());
    let mut out = std::io::stdout().lock();
    let text = match args.format {
        VerifyFormat::Json => {
            let report = document::VerifyDocument::new(
                &verification,
                args.profile,
                trust.options.at,
                revoked,
            );
            serde_json::to_string_pretty(&report)? + "\n"
        }
        VerifyFormat::Text => {
            document::verify_text(&verification, args.profile, trust.options.at, revoked)
        }
    };
    match out.write_all(text.as_bytes()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => return Err(error.into()),
        _ => {}
    }
    Ok(if verification.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_fields(
    out: &mut impl std::io::Write,
    file: &LoadedFile,
    identity: &identity::Identity,
    view: &EdgeView,
    format: FieldsFormat,
    pretty: bool,
) -> std::io::Result<()> {
    match format {
        FieldsFormat::Json => {
            let document = document::FieldsDocument::new(file, identity, view);
            if pretty {
                serde_json::to_writer_pretty(&mut *out, &document)?;
            } else {
                serde_json::to_writer(&mut *out, &document)?;
            }
            writeln!(out)
        }
        FieldsFormat::Text => write!(out, "{}", document::fields_text(file, identity, view)),
        FieldsFormat::Headers => write!(out, "{}", document::header_lines(view)),
    }
}

fn test_command(args: &TestArgs) -> anyhow::Result<ExitCode> {
    if args.print_curl {
        return print_curl(args);
    }
    // Everything local is settled before the network is touched.
    let file = load_with_password(&args.identity, &args.password)?;
    let identity = file
        .identity()
        .with_context(|| format!("cannot load {}", args.identity.display()))?;
    if identity.key.is_none() {
        bail!(
            "{} holds no private key for its certificate; a TLS client needs both (use the .p12, or one PEM with certificate and key)",
            args.identity.display()
        );
    }
    let trust = Trust {
        cas: load_cas(&args.cas, &args.password)?,
        ..Trust::default()
    };
    let server_cas = load_cas(&args.request.server_ca, &args.password)?;
    let request = http_request(&args.url, &args.request, server_cas)?;
    let report = LiveTest::run(&identity, &trust, args.profile, &request)?;
    let text = match args.format {
        VerifyFormat::Json => serde_json::to_string_pretty(&report.document())? + "\n",
        VerifyFormat::Text => report.text(),
    };
    write_stdout(&text)?;
    Ok(if report.summary.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `test --print-curl`: the same request as a curl command. The identity is only opened to
/// learn whether it has a password; the password itself is never asked for.
fn print_curl(args: &TestArgs) -> anyhow::Result<ExitCode> {
    let needs_password = match identity::load_file(&args.identity, None) {
        Ok(_) => false,
        Err(LoadError::PasswordNeeded { .. }) => true,
        Err(error) => {
            return Err(anyhow::anyhow!(error))
                .with_context(|| format!("cannot load {}", args.identity.display()));
        }
    };
    let bytes = std::fs::read(&args.identity)
        .with_context(|| format!("cannot read {}", args.identity.display()))?;
    let pkcs12 = matches!(
        identity::sniff(&bytes),
        identity::Sniffed::Format(identity::FileFormat::Pkcs12)
    );
    let variable = args
        .password
        .password_env
        .clone()
        .unwrap_or_else(|| CURL_PASSWORD_VARIABLE.to_owned());
    // The command names the CA files; their contents are curl's to read.
    let request = http_request(&args.url, &args.request, Vec::new())?;
    let files = probe::CurlIdentity {
        path: args.identity.clone(),
        pkcs12,
        password_variable: needs_password.then(|| variable.clone()),
        server_ca: args.request.server_ca.clone(),
        data_file: args.request.data_file.clone(),
        proxy_password_variable: None,
    };
    if needs_password && args.password.password_env.is_none() {
        eprintln!(
            "# the command reads the password of {} from ${variable}; set it first: read -rs {variable} && export {variable}",
            args.identity.display()
        );
    }
    if args
        .request
        .proxy
        .as_deref()
        .is_some_and(|p| probe::without_credentials(p) != p)
    {
        eprintln!(
            "# the command reads the proxy password from ${}; set it first",
            probe::PROXY_PASSWORD_VARIABLE
        );
    }
    if args.request.server_ca.len() > 1 {
        eprintln!("# curl takes one --cacert: the command uses the first --server-ca");
    }
    write_stdout(&(probe::curl_command(&request, &files) + "\n"))?;
    Ok(ExitCode::SUCCESS)
}

/// The variable a printed curl command reads the identity's password from.
const CURL_PASSWORD_VARIABLE: &str = "CERTLENS_PASSWORD";

/// Writes to standard output; a reader that went away (`| head`) is not an error.
fn write_stdout(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => Err(error.into()),
        _ => Ok(()),
    }
}

fn echo_server_command(args: &EchoServerArgs) -> anyhow::Result<ExitCode> {
    let client_cas = load_cas(&args.client_cas, &PasswordArgs::default())?;
    let server_identity = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some((
            std::fs::read_to_string(cert)
                .with_context(|| format!("cannot read {}", cert.display()))?,
            zeroize::Zeroizing::new(
                std::fs::read_to_string(key)
                    .with_context(|| format!("cannot read {}", key.display()))?,
            ),
        )),
        _ => None,
    };
    let server = EchoServer::start(EchoSettings {
        listen: args.listen,
        client_cas,
        server_identity,
        profile: args.profile,
        protocols: match (args.http1, args.http2) {
            (true, _) => probe::HttpVersion::Http1,
            (_, true) => probe::HttpVersion::Http2,
            _ => probe::HttpVersion::Auto,
        },
    })?;
    println!("certlens echo server listening on {}", server.url());
    // A generated server CA goes into a private folder (mode 0700, unpredictable name) that
    // lives as long as the server.
    let mut ca_folder = None;
    if let Some(ca) = server.server_ca_pem() {
        let folder = crate::echo_server::demo::private_folder("certlens-echo-")
            .context("cannot create a folder for the server's CA certificate")?;
        let path = folder.path().join("server-ca.pem");
        std::fs::write(&path, ca).with_context(|| format!("cannot write {}", path.display()))?;
        println!(
            "its certificate was generated; trust it with --server-ca {}",
            path.display()
        );
        ca_folder = Some(folder);
    }
    if args.client_cas.is_empty() {
        println!(
            "no --client-ca given: every client certificate will read FAILED:… (as an edge without that CA)"
        );
    }
    println!("press Ctrl+C to stop");
    server.wait();
    drop(ca_folder);
    Ok(ExitCode::SUCCESS)
}

fn demo_command(args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let demo = crate::echo_server::demo::Demo::start()?;
    let command = demo.test_command();
    let d = demo.dir();
    let test = TestArgs {
        url: demo.server.url(),
        identity: d.join("client.pem"),
        profile: Profile::Cloudflare,
        cas: vec![d.join("client-ca.pem")],
        request: RequestArgs {
            server_ca: vec![d.join("server-ca.pem")],
            // The demo's server is on this machine: no proxy of the environment is involved.
            no_proxy: true,
            ..RequestArgs::default()
        },
        print_curl: false,
        format: VerifyFormat::Text,
        password: PasswordArgs::default(),
    };
    println!(
        "Certlens demo: an echo server that asks for a client certificate is listening on {}",
        demo.server.url()
    );
    println!(
        "The demo CA, client identity and server CA are in {}",
        demo.dir().display()
    );
    println!("Testing it with: {command}");
    println!();
    if !args.check && has_display() {
        let d = demo.dir().to_owned();
        let startup = crate::gui::Startup {
            file: Some(d.join("client.pem")),
            cas: vec![d.join("client-ca.pem")],
            url: Some(demo.server.url()),
            server_ca: Some(d.join("server-ca.pem")),
            // The demo's files are temporary: remember nothing about them.
            settings_path: Some(d.join("settings.json")),
            // The demo's server is on this machine: no proxy of the environment is involved.
            proxy: Some("direct".to_owned()),
        };
        println!("Opening the window, ready to test: press \"Test against hostname\".");
        crate::gui::run(startup).map_err(|e| anyhow::anyhow!(e))?;
        return Ok(ExitCode::SUCCESS);
    }
    let code = test_command(&test)?;
    if args.check {
        return Ok(code);
    }
    println!();
    println!(
        "The server keeps running; test it again with the command above. Press Ctrl+C to stop."
    );
    demo.wait();
    Ok(ExitCode::SUCCESS)
}

/// The live test's request from the command line's options.
fn http_request(
    url: &str,
    args: &RequestArgs,
    server_cas: Vec<Certificate>,
) -> anyhow::Result<probe::HttpRequest> {
    let mut request = probe::HttpRequest::get(url);
    for header in &args.headers {
        let Some((name, value)) = header.split_once(':') else {
            bail!("--header `{header}` is not `Name: value`");
        };
        request
            .headers
            .push((name.trim().to_owned(), value.trim().to_owned()));
    }
    request.body = match (&args.data, &args.data_file) {
        (Some(text), _) => Some(text.clone().into_bytes()),
        (None, Some(path)) => Some(
            std::fs::read(path)
                .with_context(|| format!("cannot read --data-file {}", path.display()))?,
        ),
        (None, None) => None,
    };
    request.method = match &args.method {
        Some(method) => method.trim().to_ascii_uppercase(),
        None if request.body.is_some() => "POST".to_owned(),
        None => "GET".to_owned(),
    };
    request.timeout = std::time::Duration::from_secs(args.timeout.max(1));
    request.body_limit = args.max_body;
    request.server_trust = if args.insecure {
        probe::ServerTrust::Insecure
    } else {
        probe::ServerTrust::Verify(server_cas)
    };
    request.proxy = match (&args.proxy, args.no_proxy) {
        (Some(url), _) => probe::ProxySetting::Url(url.clone()),
        (None, true) => probe::ProxySetting::Direct,
        (None, false) => probe::ProxySetting::Environment,
    };
    request.http_version = match (args.http1, args.http2) {
        (true, _) => probe::HttpVersion::Http1,
        (_, true) => probe::HttpVersion::Http2,
        _ => probe::HttpVersion::Auto,
    };
    request.resolve = args
        .resolve
        .iter()
        .map(|entry| probe::ResolveEntry::parse(entry))
        .collect::<Result<_, _>>()?;
    request.follow_redirects = args.follow;
    Ok(request)
}

fn report_command(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, Some(path)) => report::Format::from_extension(path).with_context(|| {
            format!(
                "cannot tell the format from {}; pass --format json|md|csv|html",
                path.display()
            )
        })?,
        (None, None) => {
            bail!("pass --format json|md|csv|html (or -o with one of those extensions)")
        }
    };
    let file = load_with_password(&args.file, &args.password)?;
    let trust = load_trust(&args.trust, &args.password)?;
    let identity = file
        .identity()
        .with_context(|| format!("cannot load {}", args.file.display()))?;
    let (verification, view) =
        trust.assess(&identity, identity.find_issuer(&trust.cas), args.profile);
    let live = match &args.url {
        Some(url) => {
            if identity.key.is_none() {
                bail!(
                    "--url needs the private key: {} holds only the certificate",
                    args.file.display()
                );
            }
            let server_cas = load_cas(&args.request.server_ca, &args.password)?;
            let request = http_request(url, &args.request, server_cas)?;
            let test = LiveTest::run(&identity, &trust, args.profile, &request)?;
            Some(report::LiveSection {
                url: url.clone(),
                status: test.exchange.status,
                rows: test.rows,
                summary: test.summary,
            })
        }
        None => None,
    };
    let text =
        report::Report::new(&file, &identity, &view, verification.as_ref(), live).render(format);
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()) {
                Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(error.into());
                }
                _ => {}
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// True when a window can be opened (an X11 or Wayland display, or not Linux).
fn has_display() -> bool {
    !cfg!(target_os = "linux")
        || std::env::var_os("DISPLAY").is_some()
        || std::env::var_os("WAYLAND_DISPLAY").is_some()
}

fn gui_command(file: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    if !has_display() {
        bail!(
            "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are unset); every window feature is also a command: see `certlens --help`"
        );
    }
    crate::gui::run(crate::gui::Startup {
        file,
        ..crate::gui::Startup::default()
    })
    .map_err(|e| anyhow::anyhow!(e))?;
    Ok(ExitCode::SUCCESS)
}
