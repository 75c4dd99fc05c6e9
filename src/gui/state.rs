//! The window's state, without a single egui type: what is loaded, what is chosen, what the
//! last assessment and test found. Panes read it; only the app changes it, by applying commands
//! and job results (see `app.rs`).

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::assess::Trust;
use crate::certificate::Certificate;
use crate::certificate::Instant;
use crate::fields::{EdgeView, Profile};
use crate::identity::{Identity, LoadedFile};
use crate::probe::{HttpRequest, HttpVersion, LiveTest, ProxySetting, ResolveEntry, ServerTrust};
use crate::report::{CurlIdentity, Overview, curl_command};
use crate::settings::Settings;
use crate::verify::Verification;

/// The variable a copied curl command reads the identity's password from.
pub const CURL_PASSWORD_VARIABLE: &str = "CERTLENS_PASSWORD";

/// What the window opens with.
#[derive(Debug, Clone, Default)]
pub struct Startup {
    /// An identity file to load at once.
    pub file: Option<PathBuf>,
    /// CA files to choose at once.
    pub cas: Vec<PathBuf>,
    /// The URL to test.
    pub url: Option<String>,
    /// A server CA to trust for the test.
    pub server_ca: Option<PathBuf>,
    /// Where settings are kept; `None` keeps them in memory only (tests).
    pub settings_path: Option<PathBuf>,
    /// The proxy choice (`environment`, `direct` or a URL) instead of the remembered one.
    pub proxy: Option<String>,
    /// The edge profile to start with instead of the remembered one.
    pub profile: Option<crate::fields::Profile>,
}

/// The tabs of the main area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    /// Every field.
    Fields,
    /// The verdict against the CA.
    Verify,
    /// The live test.
    Test,
    /// Every edge's values side by side.
    Edges,
    /// The full certificates.
    Details,
    /// The requests an attacker would try.
    Audit,
    /// The hostname's Cloudflare setup, read through the API.
    Cloudflare,
}

/// A loaded identity file and the identity chosen from it.
pub struct Loaded {
    /// Where it came from.
    pub path: PathBuf,
    /// What it held.
    pub file: LoadedFile,
    /// The identities in it (one unless the file holds several keys), each with its leaf's
    /// subject decoded for the picker.
    pub identities: Vec<(Identity, String)>,
    /// Which one is shown.
    pub selected: usize,
    /// True when the file opened only with a password.
    pub password_protected: bool,
}

impl Loaded {
    /// The identity shown.
    pub fn identity(&self) -> &Identity {
        &self.identities[self.selected.min(self.identities.len() - 1)].0
    }
}

/// What the unlock card asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    /// A file's password.
    Password,
    /// A Java keystore's store password, and its keys' when different.
    Keystore,
    /// A token's PIN: tried once per press of *Unlock*.
    Pin,
}

/// A file (or token) that needs a password (or PIN) before it can load.
pub struct Unlock {
    /// The file, or the token's `pkcs11:` URI.
    pub path: PathBuf,
    /// What is protected.
    pub what: String,
    /// What is asked for.
    pub secret: Secret,
    /// The password being typed (wiped on drop).
    pub password: Zeroizing<String>,
    /// A keystore's key password, when it differs (wiped on drop).
    pub key_password: Zeroizing<String>,
    /// The last attempt's error, shown in place.
    pub error: Option<String>,
    /// The field should take the keyboard focus on the next frame (the card just appeared, or
    /// a password was refused), so the user can type at once.
    pub focus: bool,
}

impl Unlock {
    /// The card for `path`, empty and ready to type into.
    pub fn new(path: PathBuf, what: String, secret: Secret) -> Self {
        Self {
            path,
            what,
            secret,
            password: Zeroizing::new(String::new()),
            key_password: Zeroizing::new(String::new()),
            error: None,
            focus: true,
        }
    }
}

/// What the last assessment found: the verdict, the edge's view, and what a person reads.
pub struct Assessment {
    /// The verdict, when CAs were chosen.
    pub verification: Option<Verification>,
    /// Every field, as the profile's edge computes it.
    pub view: EdgeView,
    /// Names decoded, validity in words, the chain, the details.
    pub overview: Overview,
    /// When the verdict was reached (a report states it).
    pub at: Instant,
    /// Every edge's values side by side.
    pub every_edge: crate::report::EveryEdge,
}

/// The live test's state.
pub enum TestState {
    /// Nothing run yet.
    Idle,
    /// A request is under way.
    Running,
    /// The last test's outcome.
    Done(Box<LiveTest>),
    /// The last test failed before an answer came.
    Failed(String),
}

/// The audit of the hostname, as the Audit tab shows it.
pub enum AuditState {
    /// Nothing run yet.
    Idle,
    /// The probes are under way.
    Running,
    /// The last audit.
    Done(Box<crate::audit::Audit>),
    /// The last audit could not run.
    Failed(String),
}

/// The tokens the *Smart card or token…* card lists.
pub enum TokenPicker {
    /// Closed.
    Closed,
    /// The modules are being read.
    Listing,
    /// What they hold.
    Listed(Vec<crate::identity::token::ModuleListing>),
    /// They could not be read.
    Failed(String),
}

/// The Cloudflare setup check, as its tab shows it.
pub enum SetupState {
    /// Nothing run yet.
    Idle,
    /// The API is being read.
    Running,
    /// The last check.
    Done(Box<crate::edge_setup::cloudflare::SetupCheck>),
    /// The last check could not be made.
    Failed(String),
}

/// What the Cloudflare setup check is asked with. The token lives only here, wiped on drop:
/// never in settings, reports or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct CloudflareForm {
    /// The read-only API token, as typed (or from `CLOUDFLARE_API_TOKEN`).
    pub token: Zeroizing<String>,
    /// The API's base URL (`CLOUDFLARE_API_BASE_URL`, as Cloudflare's own tools read it, or the
    /// public API).
    pub api_base: String,
    /// The path to evaluate the rules for, instead of the URL's (may be empty).
    pub path: String,
    /// The application is a Worker: forwarding to an origin is not needed.
    pub worker: bool,
}

impl Default for CloudflareForm {
    fn default() -> Self {
        Self {
            token: Zeroizing::new(std::env::var("CLOUDFLARE_API_TOKEN").unwrap_or_default()),
            api_base: std::env::var("CLOUDFLARE_API_BASE_URL")
                .ok()
                .filter(|base| !base.trim().is_empty())
                .unwrap_or_else(|| crate::edge_setup::cloudflare::DEFAULT_API_BASE.to_owned()),
            path: String::new(),
            worker: false,
        }
    }
}

/// How the live test reaches the server, as the window's form holds it.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct NetworkForm {
    /// Which proxy carries the request.
    pub proxy: ProxyChoice,
    /// The proxy URL, for [`ProxyChoice::Custom`].
    pub proxy_url: String,
    /// `HOST:PORT:ADDR[,ADDR]` entries separated by spaces (curl's `--resolve`).
    pub resolve: String,
    /// Which HTTP versions are offered.
    pub http_version: HttpVersion,
    /// Follow redirects.
    pub follow: bool,
    /// Follow redirects to other hosts too (they are offered the client certificate).
    pub follow_any_host: bool,
}

/// The proxy choices of the window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProxyChoice {
    /// HTTPS_PROXY / ALL_PROXY / NO_PROXY, or the system's settings.
    #[default]
    Environment,
    /// No proxy.
    Direct,
    /// The URL typed in the form.
    Custom,
}

/// The proxy URL without its credentials.
impl std::fmt::Debug for NetworkForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NetworkForm")
            .field("proxy", &self.proxy)
            .field(
                "proxy_url",
                &crate::probe::without_credentials(&self.proxy_url),
            )
            .field("resolve", &self.resolve)
            .field("http_version", &self.http_version)
            .field("follow", &self.follow)
            .field("follow_any_host", &self.follow_any_host)
            .finish()
    }
}

impl NetworkForm {
    /// The form as it is remembered: `environment`, `direct`, or the proxy URL.
    pub fn remembered(&self) -> String {
        match self.proxy {
            ProxyChoice::Environment => "environment".to_owned(),
            ProxyChoice::Direct => "direct".to_owned(),
            ProxyChoice::Custom => self.proxy_url.trim().to_owned(),
        }
    }

    /// The form a remembered choice gives.
    pub fn from_remembered(text: &str) -> Self {
        let (proxy, proxy_url) = match text {
            "" | "environment" => (ProxyChoice::Environment, String::new()),
            "direct" => (ProxyChoice::Direct, String::new()),
            url => (ProxyChoice::Custom, url.trim_end_matches('/').to_owned()),
        };
        Self {
            proxy,
            proxy_url,
            ..Self::default()
        }
    }

    /// Puts the form's settings into `request`.
    pub fn apply(&self, request: &mut HttpRequest) -> Result<(), String> {
        request.proxy = match self.proxy {
            ProxyChoice::Environment => ProxySetting::Environment,
            ProxyChoice::Direct => ProxySetting::Direct,
            ProxyChoice::Custom if self.proxy_url.trim().is_empty() => {
                return Err("Type the proxy's URL, or choose another proxy setting.".into());
            }
            ProxyChoice::Custom => ProxySetting::Url(self.proxy_url.trim().to_owned()),
        };
        request.resolve = self
            .resolve
            .split_whitespace()
            .map(|entry| ResolveEntry::parse(entry).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?;
        request.http_version = self.http_version;
        request.follow_redirects = self.follow;
        request.follow_any_host = self.follow && self.follow_any_host;
        Ok(())
    }
}

/// Everything the window shows.
pub struct State {
    /// The remembered settings (recent files, last URL, …).
    pub settings: Settings,
    /// The chosen profile.
    pub profile: Profile,
    /// The tab shown.
    pub tab: Tab,
    /// The identity file shown.
    pub loaded: Option<Loaded>,
    /// The file being opened.
    pub loading: Option<PathBuf>,
    /// The unlock card, when a file needs a password.
    pub unlock: Option<Unlock>,
    /// The token picker.
    pub tokens: TokenPicker,
    /// Why the last file could not be opened.
    pub load_error: Option<String>,
    /// The CA files chosen, with their certificates.
    pub cas: Vec<(PathBuf, Vec<Certificate>)>,
    /// Why the last CA file could not be added.
    pub ca_error: Option<String>,
    /// What the last assessment of the loaded identity found.
    pub assessment: Option<Assessment>,
    /// The URL to test.
    pub url: String,
    /// Extra request headers, `Name: value` per line.
    pub headers: String,
    /// The CA file trusted for the server's certificate.
    pub server_ca: Option<(PathBuf, Vec<Certificate>)>,
    /// Skip the server's certificate check.
    pub insecure: bool,
    /// Proxy, addresses, HTTP version, redirects.
    pub network: NetworkForm,
    /// The live test.
    pub test: TestState,
    /// The audit.
    pub audit: AuditState,
    /// Another host or port of the same edge for the audit's resumption probe (may be empty).
    pub resume_from: String,
    /// What the Cloudflare setup check is asked with.
    pub cloudflare: CloudflareForm,
    /// The Cloudflare setup check.
    pub setup: SetupState,
    /// A one-line message in the top bar (an export written, a save that failed).
    pub status: Option<String>,
}

impl State {
    /// The state a window opens in, before `startup`'s files are loaded.
    pub fn new(settings: Settings, startup: &Startup) -> Self {
        let network = NetworkForm::from_remembered(
            startup.proxy.as_deref().unwrap_or(settings.proxy.as_str()),
        );
        Self {
            profile: startup.profile.unwrap_or(settings.profile),
            url: startup
                .url
                .clone()
                .unwrap_or_else(|| settings.last_url.clone()),
            tab: if startup.url.is_some() {
                Tab::Test
            } else {
                Tab::Fields
            },
            settings,
            loaded: None,
            loading: None,
            unlock: None,
            tokens: TokenPicker::Closed,
            load_error: None,
            cas: Vec::new(),
            ca_error: None,
            assessment: None,
            headers: String::new(),
            server_ca: None,
            insecure: false,
            network,
            test: TestState::Idle,
            audit: AuditState::Idle,
            resume_from: String::new(),
            cloudflare: CloudflareForm::default(),
            setup: SetupState::Idle,
            status: None,
        }
    }

    /// True while background work is under way (the window keeps repainting).
    pub fn busy(&self) -> bool {
        self.loading.is_some()
            || matches!(self.test, TestState::Running)
            || matches!(self.audit, AuditState::Running)
            || matches!(self.setup, SetupState::Running)
    }

    /// The identity shown, if any.
    pub fn identity(&self) -> Option<&Identity> {
        self.loaded.as_ref().map(Loaded::identity)
    }

    /// The trust the chosen CA files make.
    pub fn trust(&self) -> Trust {
        Trust {
            cas: self
                .cas
                .iter()
                .flat_map(|(_, certs)| certs.iter().cloned())
                .collect(),
            ..Trust::default()
        }
    }

    /// The request the form describes.
    pub fn request(&self) -> Result<HttpRequest, String> {
        let mut request = HttpRequest::get(self.url.trim());
        request.headers = HttpRequest::header_lines(&self.headers);
        request.server_trust = if self.insecure {
            ServerTrust::Insecure
        } else {
            ServerTrust::Verify(
                self.server_ca
                    .as_ref()
                    .map(|(_, certs)| certs.clone())
                    .unwrap_or_default(),
            )
        };
        self.network.apply(&mut request)?;
        Ok(request)
    }

    /// The form's request as a curl command (the password stays in `$CERTLENS_PASSWORD`).
    pub fn curl(&self) -> Result<String, String> {
        let loaded = self
            .loaded
            .as_ref()
            .ok_or_else(|| "Load a client identity first.".to_owned())?;
        let request = self.request()?;
        let files = CurlIdentity {
            path: loaded.path.clone(),
            format: loaded.file.format,
            password_variable: loaded
                .password_protected
                .then(|| CURL_PASSWORD_VARIABLE.to_owned()),
            server_ca: self.server_ca.iter().map(|(p, _)| p.clone()).collect(),
            data_file: None,
            proxy_password_variable: None,
        };
        Ok(curl_command(&request, &files))
    }

    /// The settings as they should be remembered now.
    pub fn remembered(&self) -> Settings {
        let mut settings = self.settings.clone();
        settings.profile = self.profile;
        settings.last_cas = self.cas.iter().map(|(p, _)| p.clone()).collect();
        settings.last_server_ca = self.server_ca.as_ref().map(|(p, _)| p.clone());
        settings.proxy = self.network.remembered();
        settings
    }

    /// The identity file shown, if any.
    pub fn loaded_path(&self) -> Option<&Path> {
        self.loaded.as_ref().map(|l| l.path.as_path())
    }
}

/// A path's file name, for labels.
pub fn file_name(path: &Path) -> String {
    // A token's URI is named by what it picks: the object on the token.
    if let Some(uri) = path
        .to_str()
        .filter(|p| crate::identity::token::is_pkcs11_uri(p))
        .and_then(|p| crate::identity::token::Pkcs11Uri::parse(p).ok())
    {
        let object = uri.object.unwrap_or_else(|| "certificate".to_owned());
        return match uri.token {
            Some(token) => format!("“{object}” on the token “{token}”"),
            None => format!("“{object}” on a token"),
        };
    }
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
