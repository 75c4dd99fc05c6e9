//! The commands that talk to servers: `test` (and `--print-curl`), `echo-server` and `demo`.

use std::process::ExitCode;

use anyhow::{Context as _, bail};

use crate::assess::Trust;
use crate::certificate::Certificate;
use crate::echo_server::{EchoServer, EchoSettings};
use crate::fields::Profile;

use crate::identity::token::is_pkcs11_uri;
use crate::identity::{self, LoadError};
use crate::probe::{self, LiveTest};
use crate::report;

use super::args::{
    AuditArgs, DemoArgs, EchoServerArgs, PasswordArgs, RequestArgs, TestArgs, VerifyFormat,
};
use super::load::{load_cas, load_with_password};
use super::{has_display, hints, write_stdout};

pub(super) fn test_command(args: &TestArgs) -> anyhow::Result<ExitCode> {
    if args.print_curl {
        return print_curl(args);
    }
    // Everything local is settled before the network is touched.
    let (identity, trust, request) = prepare(
        &args.identity,
        &args.password,
        &args.cas,
        &args.url,
        &args.request,
    )?;
    let report = LiveTest::run(&identity, &trust, args.profile.profile(), &request)
        .map_err(hints::with_flags)?;
    let text = match args.format {
        VerifyFormat::Json => {
            serde_json::to_string_pretty(&crate::report::TestDocument::new(&report))? + "\n"
        }
        VerifyFormat::Text => crate::report::test_text(&report) + &hints::lines(&report.remedies),
    };
    write_stdout(&text)?;
    Ok(if report.summary.is_clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// What a command that sends requests settles before the network is touched: the identity
/// (with its key), the CAs the edge trusts, and the request.
fn prepare(
    identity_path: &std::path::Path,
    password: &PasswordArgs,
    cas: &[std::path::PathBuf],
    url: &str,
    request: &RequestArgs,
) -> anyhow::Result<(identity::Identity, Trust, probe::HttpRequest)> {
    let file = load_with_password(identity_path, password, true)?;
    let identity = file
        .identity()
        .with_context(|| format!("cannot load {}", identity_path.display()))?;
    if identity.key.is_none() {
        bail!(
            "{}: {}",
            identity_path.display(),
            probe::tls::TlsSetupError::NoPrivateKey
        );
    }
    let trust = Trust {
        cas: load_cas(cas, password)?,
        ..Trust::default()
    };
    let server_cas = load_cas(&request.server_ca, password)?;
    let request = http_request(url, request, server_cas)?;
    Ok((identity, trust, request))
}

/// `certlens audit`: every probe, then 0 when none but the baseline got a 2xx answer, 1 when
/// one did; errors (2) when the audit could not run.
pub(super) fn audit_command(args: &AuditArgs) -> anyhow::Result<ExitCode> {
    let (identity, trust, request) = prepare(
        &args.identity,
        &args.password,
        &args.cas,
        &args.url,
        &args.request,
    )?;
    let test_ca = match &args.ca_key {
        Some(path) => {
            let pem = zeroize::Zeroizing::new(
                std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read {}", path.display()))?,
            );
            Some(
                crate::audit::TestCa::new(&pem, &trust.cas)
                    .with_context(|| format!("--ca-key {}", path.display()))?,
            )
        }
        None => None,
    };
    let audit = crate::audit::Audit::run_with(
        &identity,
        &trust,
        args.profile.profile(),
        &request,
        &crate::audit::MoreProbes {
            test_ca: test_ca.as_ref(),
            resume_from: args.resume_from.as_deref(),
        },
    )?;
    let text = match args.format {
        VerifyFormat::Json => {
            serde_json::to_string_pretty(&report::AuditDocument::new(&audit))? + "\n"
        }
        VerifyFormat::Text => report::audit_text(&audit),
    };
    write_stdout(&text)?;
    Ok(if audit.open().next().is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `test --print-curl`: the same request as a curl command. The identity is only opened to
/// learn whether it has a password; the password itself is never asked for.
pub(super) fn print_curl(args: &TestArgs) -> anyhow::Result<ExitCode> {
    let (format, needs_password) = match args.identity.to_str().filter(|p| is_pkcs11_uri(p)) {
        Some(_) => {
            eprintln!(
                "# curl hands the pkcs11: URI to OpenSSL's pkcs11 engine (Debian: libengine-pkcs11-openssl), which asks for the PIN"
            );
            (identity::FileFormat::Pkcs11, false)
        }
        None => {
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
            let format = match identity::sniff(&bytes) {
                identity::Sniffed::Format(format) => format,
                _ => identity::FileFormat::Pem,
            };
            (format, needs_password)
        }
    };
    let variable = args
        .password
        .password_env
        .clone()
        .unwrap_or_else(|| CURL_PASSWORD_VARIABLE.to_owned());
    // The command names the CA files; their contents are curl's to read.
    let request = http_request(&args.url, &args.request, Vec::new())?;
    let files = report::CurlIdentity {
        path: args.identity.clone(),
        format,
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
            report::PROXY_PASSWORD_VARIABLE
        );
    }
    if args.request.server_ca.len() > 1 {
        eprintln!("# curl takes one --cacert: the command uses the first --server-ca");
    }
    write_stdout(&(report::curl_command(&request, &files) + "\n"))?;
    Ok(ExitCode::SUCCESS)
}

/// The variable a printed curl command reads the identity's password from.
const CURL_PASSWORD_VARIABLE: &str = "CERTLENS_PASSWORD";

pub(super) fn echo_server_command(args: &EchoServerArgs) -> anyhow::Result<ExitCode> {
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
        profile: args.profile.profile(),
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

/// The `certlens test …` command line that exercises the demo, quoted for a POSIX shell.
fn demo_test_command(demo: &crate::echo_server::demo::Demo) -> String {
    let file = |name: &str| {
        crate::report::escape::shell_word(&demo.dir().join(name).display().to_string())
    };
    let profile = match demo.profile() {
        Profile::Cloudflare => String::new(),
        other => format!(" --profile {}", other.name()),
    };
    format!(
        "certlens test {} --identity {} --ca {} --server-ca {} --no-proxy{profile}",
        demo.server.url(),
        file("client.pem"),
        file("client-ca.pem"),
        file("server-ca.pem")
    )
}

pub(super) fn demo_command(args: &DemoArgs) -> anyhow::Result<ExitCode> {
    let demo = crate::echo_server::demo::Demo::start(args.profile.profile())?;
    let command = demo_test_command(&demo);
    let d = demo.dir();
    let test = TestArgs {
        url: demo.server.url(),
        identity: d.join("client.pem"),
        profile: args.profile,
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
            profile: Some(args.profile.profile()),
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
pub(super) fn http_request(
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
    request.follow_redirects = args.follow || args.follow_any_host;
    request.follow_any_host = args.follow_any_host;
    Ok(request)
}
