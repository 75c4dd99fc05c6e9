//! The command line's arguments, as clap reads them.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use crate::certificate::Instant;
use crate::fields::Profile;
use crate::limits;
use crate::report::Format;

#[derive(Debug, Subcommand)]
pub(super) enum Command {
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
    /// Send the requests an attacker would try — no certificate, the leaf's twins from another
    /// CA and self-signed, forged certificate headers — and say which reached the application.
    Audit(AuditArgs),
    /// Check the hostname's Cloudflare setup with a read-only API token: is mTLS on, does the
    /// identity chain to an associated CA, is it revoked, is it forwarded, would a WAF custom
    /// rule block it.
    #[command(
        after_help = "The token (CLOUDFLARE_API_TOKEN or --token-file) needs only read permissions: Zone: Zone Read, Zone: SSL and Certificates Read, Zone: Zone WAF Read, Account: SSL and Certificates Read; for the forwarding row also Zone: Managed headers Read and Access: Mutual TLS Certificates Read. Exit status: 0 the certificate gets through, 1 a problem was found, 2 the check could not be made or left a row unknown."
    )]
    Cloudflare(CloudflareArgs),
    /// List PKCS#11 modules, tokens (smart cards, YubiKeys, HSMs) and their certificates, each
    /// with the pkcs11: URI to use where an identity file goes.
    Tokens(TokensArgs),
    /// Run a local HTTPS server that asks for a client certificate and echoes like the Worker.
    EchoServer(EchoServerArgs),
    /// Make a demo CA and identity, start the echo server, and open the window ready to test.
    Demo(DemoArgs),
    /// Export what the edge will see as a JSON, Markdown, CSV or HTML report.
    Report(ReportArgs),
    /// Print the completion script for a shell (bash, zsh, fish or powershell).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Write the manual pages (certlens.1 and one per command), as the packages install them.
    #[command(hide = true)]
    Manpages {
        /// The folder to write them to.
        dir: PathBuf,
    },
}

#[derive(Debug, Args)]
pub(super) struct ReportArgs {
    /// The certificate or identity: .p12/.pfx, PEM, DER or .p7b.
    pub(super) file: PathBuf,
    /// Whose formatting rules to follow.
    #[arg(long, value_enum, default_value_t = ProfileChoice::Cloudflare)]
    pub(super) profile: ProfileChoice,
    #[command(flatten)]
    pub(super) trust: TrustArgs,
    /// Also run the live test against this URL and include the comparison.
    #[arg(long, value_name = "URL")]
    pub(super) url: Option<String>,
    /// With --url, also run the audit against it and include its probes.
    #[arg(long, requires = "url")]
    pub(super) audit: bool,
    /// With --url, also check the hostname's Cloudflare setup (token from CLOUDFLARE_API_TOKEN
    /// or --token-file) and include it.
    #[arg(long, requires = "url")]
    pub(super) cloudflare: bool,
    #[command(flatten)]
    pub(super) cloudflare_api: CloudflareApiArgs,
    #[command(flatten)]
    pub(super) request: RequestArgs,
    /// Output format (default: from the -o file's extension).
    #[arg(long, value_enum)]
    pub(super) format: Option<ReportFormat>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "OUT")]
    pub(super) output: Option<PathBuf>,
    #[command(flatten)]
    pub(super) password: PasswordArgs,
}

#[derive(Debug, Args)]
pub(super) struct TestArgs {
    /// The echo URL (https://).
    pub(super) url: String,
    /// The client identity: .p12/.pfx or PEM with the key.
    #[arg(long, value_name = "FILE")]
    pub(super) identity: PathBuf,
    /// Whose formatting and words to compare with.
    #[arg(long, value_enum, default_value_t = ProfileChoice::Cloudflare)]
    pub(super) profile: ProfileChoice,
    /// The CA(s) the hostname's mTLS settings trust (computes certVerified locally).
    #[arg(long = "ca", value_name = "CA")]
    pub(super) cas: Vec<PathBuf>,
    #[command(flatten)]
    pub(super) request: RequestArgs,
    /// Print the equivalent curl command (the password stays in an environment variable)
    /// instead of sending the request.
    #[arg(long)]
    pub(super) print_curl: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    pub(super) format: VerifyFormat,
    #[command(flatten)]
    pub(super) password: PasswordArgs,
}

/// `certlens audit`.
#[derive(Debug, Args)]
pub(super) struct AuditArgs {
    /// The URL to audit (https://), best an echo of what reaches the application.
    pub(super) url: String,
    /// The client identity the edge should accept: .p12/.pfx or PEM with the key.
    #[arg(long, value_name = "FILE")]
    pub(super) identity: PathBuf,
    /// Whose words to read the application's verdict in.
    #[arg(long, value_enum, default_value_t = ProfileChoice::Cloudflare)]
    pub(super) profile: ProfileChoice,
    /// The CA(s) the hostname's mTLS settings trust.
    #[arg(long = "ca", value_name = "CA")]
    pub(super) cas: Vec<PathBuf>,
    /// Your own test CA's private key (PKCS#8 PEM; its certificate among --ca): also probe with
    /// an expired, a not-yet-valid and a serverAuth-only leaf it signs.
    #[arg(long, value_name = "KEY")]
    pub(super) ca_key: Option<PathBuf>,
    /// Another host or port of the same edge, where the identity is accepted: a TLS session
    /// made there is offered here (and the other way) with no certificate.
    #[arg(long, value_name = "URL2")]
    pub(super) resume_from: Option<String>,
    #[command(flatten)]
    pub(super) request: RequestArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    pub(super) format: VerifyFormat,
    #[command(flatten)]
    pub(super) password: PasswordArgs,
}

/// `certlens tokens`.
#[derive(Debug, Args)]
pub(super) struct TokensArgs {
    /// Only the tokens this pkcs11: URI names.
    pub(super) uri: Option<String>,
    /// Log in to the token the URI names (exactly one) with its PIN, to see its private keys.
    #[arg(long, requires = "uri")]
    pub(super) login: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    pub(super) format: VerifyFormat,
    #[command(flatten)]
    pub(super) password: PasswordArgs,
}

/// `certlens cloudflare`.
#[derive(Debug, Args)]
pub(super) struct CloudflareArgs {
    /// The URL the client calls (https://): its hostname and path are checked.
    pub(super) url: String,
    /// The client identity: .p12/.pfx, PEM or DER (the key is not needed).
    #[arg(long, value_name = "FILE")]
    pub(super) identity: PathBuf,
    /// Evaluate the WAF rules for this path (and query) instead of the URL's.
    #[arg(long, value_name = "P")]
    pub(super) path: Option<String>,
    /// The application is a Worker: it reads request.cf.tlsClientAuth, so forwarding the
    /// certificate to an origin is not needed.
    #[arg(long)]
    pub(super) worker: bool,
    #[command(flatten)]
    pub(super) api: CloudflareApiArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    pub(super) format: VerifyFormat,
    #[command(flatten)]
    pub(super) password: PasswordArgs,
}

/// Where the Cloudflare API is and the token to read it with (`cloudflare`, `report`).
#[derive(Debug, Args)]
pub(super) struct CloudflareApiArgs {
    /// Read the API token from the first line of this file (else CLOUDFLARE_API_TOKEN).
    #[arg(long, value_name = "F")]
    pub(super) token_file: Option<PathBuf>,
    /// Another base for the API (https, or http to this machine only).
    #[arg(long, value_name = "URL", default_value = crate::edge_setup::cloudflare::DEFAULT_API_BASE)]
    pub(super) api_base: String,
    /// Seconds allowed for each call to the API.
    #[arg(long = "api-timeout", value_name = "SECS", default_value_t = limits::DEFAULT_TIMEOUT.as_secs())]
    pub(super) api_timeout: u64,
}

/// How the live request is sent (`test`, and `report --url`).
#[derive(Debug, Args)]
#[command(next_help_heading = "Live request")]
pub(super) struct RequestArgs {
    /// Also trust this CA for the server's own certificate (in addition to the system's).
    #[arg(long, value_name = "PEM", conflicts_with = "insecure")]
    pub(super) server_ca: Vec<PathBuf>,
    /// Do not check the server's certificate (stated in the output).
    #[arg(long)]
    pub(super) insecure: bool,
    /// Extra request header, `Name: value`; repeatable.
    #[arg(long = "header", value_name = "NAME: VALUE")]
    pub(super) headers: Vec<String>,
    /// The HTTP method [default: GET, or POST with --data].
    #[arg(long, value_name = "METHOD")]
    pub(super) method: Option<String>,
    /// Send this request body.
    #[arg(long, value_name = "TEXT", conflicts_with = "data_file")]
    pub(super) data: Option<String>,
    /// Send this file as the request body.
    #[arg(long, value_name = "FILE")]
    pub(super) data_file: Option<PathBuf>,
    /// Follow redirects, reporting every hop (at most 10); without it a redirect is reported.
    /// A redirect to another host ends the request, so the client certificate goes only to
    /// the host asked for.
    #[arg(long)]
    pub(super) follow: bool,
    /// Follow redirects to other hosts too, presenting the client certificate to them.
    #[arg(long)]
    pub(super) follow_any_host: bool,
    /// Send through this proxy: http://, https:// or socks5://[user:password@]host:port
    /// [default: HTTPS_PROXY / ALL_PROXY, minus NO_PROXY].
    #[arg(long, value_name = "URL", conflicts_with = "no_proxy")]
    pub(super) proxy: Option<String>,
    /// Connect directly, whatever the environment's proxy variables say.
    #[arg(long)]
    pub(super) no_proxy: bool,
    /// Offer only HTTP/1.1 (by ALPN).
    #[arg(long = "http1.1", conflicts_with = "http2")]
    pub(super) http1: bool,
    /// Offer only HTTP/2 (h2, by ALPN).
    #[arg(long = "http2")]
    pub(super) http2: bool,
    /// Reach HOST on PORT at these addresses instead of DNS's (curl's syntax); SNI and Host
    /// stay HOST; repeatable.
    #[arg(long, value_name = "HOST:PORT:ADDR[,ADDR]")]
    pub(super) resolve: Vec<String>,
    /// Seconds allowed for connecting (DNS, TCP, proxy, TLS) and for each read of the answer.
    #[arg(long, value_name = "SECS", default_value_t = limits::DEFAULT_TIMEOUT.as_secs())]
    pub(super) timeout: u64,
    /// The most response bytes read.
    #[arg(long, value_name = "BYTES", default_value_t = limits::DEFAULT_BODY_LIMIT)]
    pub(super) max_body: usize,
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
            follow_any_host: false,
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
pub(super) struct EchoServerArgs {
    /// Address to listen on (loopback unless you say otherwise).
    #[arg(long, default_value = "127.0.0.1:8443")]
    pub(super) listen: std::net::SocketAddr,
    /// The CA the "edge" verifies client certificates against; repeatable.
    #[arg(long = "client-ca", value_name = "CA")]
    pub(super) client_cas: Vec<PathBuf>,
    /// The server's certificate (PEM, chain); generated when not given.
    #[arg(long, value_name = "PEM", requires = "tls_key")]
    pub(super) tls_cert: Option<PathBuf>,
    /// The server's private key (PEM).
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub(super) tls_key: Option<PathBuf>,
    /// Whose formatting and words the echo uses.
    #[arg(long, value_enum, default_value_t = ProfileChoice::Cloudflare)]
    pub(super) profile: ProfileChoice,
    /// Offer only HTTP/1.1 by ALPN (default: h2 and HTTP/1.1).
    #[arg(long = "http1.1", conflicts_with = "http2")]
    pub(super) http1: bool,
    /// Offer only h2 by ALPN, as an HTTP/2-only edge does.
    #[arg(long = "http2")]
    pub(super) http2: bool,
}

#[derive(Debug, Args)]
pub(super) struct DemoArgs {
    /// Run the test once in the terminal and exit with its code (no window).
    #[arg(long)]
    pub(super) check: bool,
    /// The edge the demo's echo server plays (its headers) and the test compares with.
    #[arg(long, value_enum, default_value_t = ProfileChoice::Cloudflare)]
    pub(super) profile: ProfileChoice,
}

/// How to verify: the CAs, the clock, revocation and the server's settings.
#[derive(Debug, Args, Clone)]
pub(super) struct TrustArgs {
    /// CA certificate file(s) the edge trusts (PEM/DER/PKCS#7 bundles); repeatable.
    #[arg(long = "ca", value_name = "CA")]
    pub(super) cas: Vec<PathBuf>,
    /// The moment of the request (RFC 3339, `YYYY-MM-DD`, or `@unix`); default now.
    #[arg(long, value_name = "TIME", value_parser = parse_instant)]
    pub(super) at: Option<Instant>,
    /// Revocation list file(s) (PEM, several lists per file, or DER); repeatable. The nginx
    /// profile then checks every certificate of the chain, as ssl_crl does; for Cloudflare, a
    /// list from the issuer that checks out sets certRevoked to "1".
    #[arg(long = "crl", value_name = "CRL")]
    pub(super) crls: Vec<PathBuf>,
    /// nginx's ssl_verify_depth: CA levels allowed above the client certificate.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub(super) depth: usize,
    /// Accept a chain ending at a trusted intermediate (X509_V_FLAG_PARTIAL_CHAIN).
    #[arg(long)]
    pub(super) partial_chain: bool,
}

#[derive(Debug, Args)]
pub(super) struct VerifyArgs {
    /// The certificate or identity: .p12/.pfx, PEM, DER or .p7b.
    pub(super) file: PathBuf,
    /// Whose rules and words to use.
    #[arg(long, value_enum, default_value_t = ProfileChoice::Cloudflare)]
    pub(super) profile: ProfileChoice,
    #[command(flatten)]
    pub(super) trust: TrustArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    pub(super) format: VerifyFormat,
    #[command(flatten)]
    pub(super) password: PasswordArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum VerifyFormat {
    Json,
    Text,
}

/// Where a password comes from. Never from the command line itself.
#[derive(Debug, Args, Clone, Default)]
pub struct PasswordArgs {
    /// Read the password from the first line of this file.
    #[arg(long, value_name = "FILE", conflicts_with = "password_env")]
    pub(super) password_file: Option<PathBuf>,
    /// Read the password from this environment variable.
    #[arg(long, value_name = "VAR", value_parser = variable_name)]
    pub(super) password_env: Option<String>,
    /// A Java keystore's key password, when it differs from the store password: the first line
    /// of this file.
    #[arg(long, value_name = "FILE", conflicts_with = "key_password_env")]
    pub(super) key_password_file: Option<PathBuf>,
    /// A Java keystore's key password, from this environment variable.
    #[arg(long, value_name = "VAR", value_parser = variable_name)]
    pub(super) key_password_env: Option<String>,
    /// The PKCS#11 module for a pkcs11: identity (else CERTLENS_PKCS11_MODULE, else every
    /// module p11-kit has registered).
    #[arg(long, value_name = "PATH")]
    pub(super) pkcs11_module: Option<PathBuf>,
}

/// An environment variable's name as a shell writes it (`[A-Za-z_][A-Za-z0-9_]*`): the printed
/// curl command puts it after a `$` inside double quotes.
fn variable_name(text: &str) -> Result<String, String> {
    let mut characters = text.chars();
    let valid = characters
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && characters.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(text.to_owned())
    } else {
        Err(
            "an environment variable name is letters, digits and _, not starting with a digit"
                .into(),
        )
    }
}

#[derive(Debug, Args)]
pub(super) struct FieldsArgs {
    /// The certificate or identity: .p12/.pfx, PEM, DER or .p7b.
    pub(super) file: PathBuf,
    /// Whose view to print: an edge's name, or `all` for every edge side by side.
    #[arg(long, default_value = "cloudflare", value_parser = fields_profile())]
    pub(super) profile: FieldsProfile,
    /// With --ca, certVerified and the issuer fields are computed too.
    #[command(flatten)]
    pub(super) trust: TrustArgs,
    /// Print every certificate in the file (a CA bundle), one JSON object per line.
    #[arg(long)]
    pub(super) all: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FieldsFormat::Json)]
    pub(super) format: FieldsFormat,
    #[command(flatten)]
    pub(super) password: PasswordArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum FieldsFormat {
    Json,
    Text,
    Headers,
}

pub(super) fn parse_instant(text: &str) -> Result<Instant, String> {
    Instant::parse(text).ok_or_else(|| {
        format!("`{text}` is not a time (use 2025-01-31T12:00:00Z, 2025-01-31 or @unix)")
    })
}

/// `--profile`: the edge whose view the output shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum ProfileChoice {
    /// Cloudflare (BoringSSL's rules; request.cf.tlsClientAuth, X-CERT-* echo headers).
    Cloudflare,
    /// nginx ($ssl_client_*; OpenSSL 3's rules).
    Nginx,
    /// AWS Application Load Balancer, verify mode (X-Amzn-Mtls-Clientcert-*).
    AwsAlb,
    /// AWS Application Load Balancer, passthrough mode (X-Amzn-Mtls-Clientcert).
    AwsAlbPassthrough,
    /// Amazon CloudFront viewer mTLS (CloudFront-Viewer-Cert-*).
    Cloudfront,
    /// Envoy (x-forwarded-client-cert).
    Envoy,
    /// Google Cloud Load Balancing (client_cert_* custom headers).
    Gcp,
    /// Azure Application Gateway (client_certificate_* server variables).
    AzureAppgw,
    /// Traefik PassTLSClientCert (X-Forwarded-Tls-Client-Cert, -Info).
    Traefik,
    /// HAProxy (ssl_c_* fetches in X-SSL-Client-* headers).
    Haproxy,
    /// Caddy ({http.request.tls.client.*} placeholders).
    Caddy,
    /// RFC 9440 (Client-Cert, Client-Cert-Chain).
    Rfc9440,
}

impl ProfileChoice {
    /// The library's profile.
    pub(super) fn profile(self) -> Profile {
        match self {
            ProfileChoice::Cloudflare => Profile::Cloudflare,
            ProfileChoice::Nginx => Profile::Nginx,
            ProfileChoice::AwsAlb => Profile::AwsAlb,
            ProfileChoice::AwsAlbPassthrough => Profile::AwsAlbPassthrough,
            ProfileChoice::Cloudfront => Profile::CloudFront,
            ProfileChoice::Envoy => Profile::Envoy,
            ProfileChoice::Gcp => Profile::Gcp,
            ProfileChoice::AzureAppgw => Profile::AzureAppGw,
            ProfileChoice::Traefik => Profile::Traefik,
            ProfileChoice::Haproxy => Profile::HaProxy,
            ProfileChoice::Caddy => Profile::Caddy,
            ProfileChoice::Rfc9440 => Profile::Rfc9440,
        }
    }
}

/// `fields --profile`: one edge, or `all` for the every-edge table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FieldsProfile {
    /// One edge's view.
    One(Profile),
    /// Every edge side by side.
    All,
}

/// Parses `fields --profile`: a profile's name or `all`.
pub(super) fn fields_profile() -> impl clap::builder::TypedValueParser<Value = FieldsProfile> {
    use clap::builder::TypedValueParser as _;
    let names: Vec<&'static str> = Profile::ALL
        .iter()
        .map(|p| p.name())
        .chain(["all"])
        .collect();
    clap::builder::PossibleValuesParser::new(names)
        .map(|name| Profile::from_name(&name).map_or(FieldsProfile::All, FieldsProfile::One))
}

/// `report --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum ReportFormat {
    /// One JSON document, the same shapes as the command line's.
    Json,
    /// Markdown, pasteable into an issue tracker.
    Md,
    /// CSV, one row per field: section, property, header, value.
    Csv,
    /// One self-contained HTML file.
    Html,
}

impl ReportFormat {
    /// The library's format.
    pub(super) fn format(self) -> Format {
        match self {
            ReportFormat::Json => Format::Json,
            ReportFormat::Md => Format::Md,
            ReportFormat::Csv => Format::Csv,
            ReportFormat::Html => Format::Html,
        }
    }
}
