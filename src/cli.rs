//! The command line: clap definitions, password sources, and dispatch to the library.
//! Prints text or JSON; formats nothing itself.

use std::io::{IsTerminal as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::certificate::Certificate;
use crate::document;
use crate::fields::{Context, EdgeView, Instant, Profile};
use crate::identity::{self, LoadError, LoadedFile, Password};
use crate::verify::{self, Crl, Verification};

/// Inspect and test mTLS client certificates exactly as Cloudflare and nginx edges see them.
#[derive(Debug, Parser)]
#[command(name = "certlens", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print every field the edge computes for a client certificate.
    Fields(FieldsArgs),
    /// Verify a client certificate against chosen CA(s), in the edge's own words.
    Verify(VerifyArgs),
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
    /// A revocation list (PEM or DER); a listed serial sets certRevoked to "1".
    #[arg(long, value_name = "CRL")]
    crl: Option<PathBuf>,
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
    let Some(command) = cli.command else {
        use clap::CommandFactory as _;
        let _ = Cli::command().print_help();
        return ExitCode::from(2);
    };
    let result = match command {
        Command::Fields(args) => fields(&args),
        Command::Verify(args) => verify_command(&args),
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
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the password file {}", path.display()))?;
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
    let describe =
        |e: LoadError| anyhow::Error::new(e).context(format!("cannot load {}", path.display()));
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

/// The trust settings of a command, loaded once.
struct Trust {
    cas: Vec<Certificate>,
    crl: Option<Crl>,
    options: verify::Options,
}

impl Trust {
    fn load(args: &TrustArgs, password: &PasswordArgs) -> anyhow::Result<Self> {
        let crl = match &args.crl {
            Some(path) => {
                let bytes = std::fs::read(path)
                    .with_context(|| format!("cannot read the CRL {}", path.display()))?;
                Some(
                    Crl::from_bytes(&bytes)
                        .with_context(|| format!("cannot load the CRL {}", path.display()))?,
                )
            }
            None => None,
        };
        Ok(Self {
            cas: load_cas(&args.cas, password)?,
            crl,
            options: verify::Options {
                at: args.at.unwrap_or_else(Instant::now),
                depth: args.depth,
                partial_chain: args.partial_chain,
            },
        })
    }

    /// The verification, when CAs were chosen.
    fn verify(
        &self,
        leaf: &Certificate,
        chain: &[Certificate],
        profile: Profile,
    ) -> Option<Verification> {
        (!self.cas.is_empty())
            .then(|| verify::verify(leaf, chain, &self.cas, profile, &self.options))
    }

    fn revokes(&self, leaf: &Certificate) -> bool {
        self.crl.as_ref().is_some_and(|crl| crl.revokes(leaf))
    }
}

fn fields(args: &FieldsArgs) -> anyhow::Result<ExitCode> {
    let file = load_with_password(&args.file, &args.password)?;
    let trust = Trust::load(&args.trust, &args.password)?;
    let identity = file
        .identity()
        .with_context(|| format!("cannot load {}", args.file.display()))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let print = |out: &mut std::io::BufWriter<_>,
                 identity: &identity::Identity,
                 fallback_issuer: Option<&Certificate>,
                 pretty: bool| {
        let verification = trust.verify(&identity.leaf, &identity.chain, args.profile);
        let context = Context {
            chain: &identity.chain,
            issuer: verification
                .as_ref()
                .and_then(Verification::issuer)
                .or(fallback_issuer),
            verdict: verification.as_ref().map(|v| v.verdict.clone()),
            revoked: trust.revokes(&identity.leaf),
            at: Some(trust.options.at),
        };
        let view = EdgeView::compute(&identity.leaf, &context, args.profile);
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
    let trust = Trust::load(&args.trust, &args.password)?;
    if trust.cas.is_empty() {
        bail!(
            "give the CA the edge trusts with --ca CA (the file the hostname's mTLS settings use)"
        );
    }
    let identity = file
        .identity()
        .with_context(|| format!("cannot load {}", args.file.display()))?;
    let verification = verify::verify(
        &identity.leaf,
        &identity.chain,
        &trust.cas,
        args.profile,
        &trust.options,
    );
    let revoked = trust.revokes(&identity.leaf);
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
