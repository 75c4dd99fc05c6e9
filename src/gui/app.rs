//! The window's state, its background jobs, and the frame layout. Panes draw; the library
//! does every certificate computation (as for the command line).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};

use zeroize::Zeroizing;

use crate::assess::Trust;
use crate::certificate::Certificate;
use crate::fields::{EdgeView, Profile};
use crate::identity::{
    Cancel, Identity, LoadError, LoadedFile, Password, load_file, load_file_cancellable,
};
use crate::probe::{
    CurlIdentity, HttpRequest, HttpVersion, LiveTest, ProxySetting, ResolveEntry, ServerTrust,
    curl_command,
};
use crate::settings::Settings;
use crate::verify::Verification;

use super::{details, fields, load, test, verify};

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
    /// The full certificates.
    Details,
}

/// A loaded identity file and the identity chosen from it.
pub struct Loaded {
    /// Where it came from.
    pub path: PathBuf,
    /// What it held.
    pub file: LoadedFile,
    /// The identities in it (one unless the file holds several keys).
    pub identities: Vec<Identity>,
    /// Which one is shown.
    pub selected: usize,
    /// True when the file opened only with a password.
    pub password_protected: bool,
}

impl Loaded {
    /// The identity shown.
    pub fn identity(&self) -> &Identity {
        &self.identities[self.selected.min(self.identities.len() - 1)]
    }
}

/// A file that needs a password before it can load.
pub struct Unlock {
    /// The file.
    pub path: PathBuf,
    /// What is protected.
    pub what: &'static str,
    /// The password being typed (wiped on drop).
    pub password: Zeroizing<String>,
    /// The last attempt's error, shown in place.
    pub error: Option<String>,
    /// The field should take the keyboard focus on the next frame (the card just appeared, or
    /// a password was refused), so the user can type at once.
    pub focus: bool,
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

/// What a background job reports.
pub(super) enum JobResult {
    Loaded {
        generation: u64,
        path: PathBuf,
        result: Result<LoadedFile, LoadError>,
        with_password: bool,
    },
    CaLoaded {
        path: PathBuf,
        result: Result<Vec<Certificate>, String>,
    },
    ServerCaLoaded {
        path: PathBuf,
        result: Result<Vec<Certificate>, String>,
    },
    Assessed {
        generation: u64,
        assessment: Box<(Option<Verification>, EdgeView)>,
    },
    Tested {
        generation: u64,
        result: Result<Box<LiveTest>, String>,
    },
    Picked {
        purpose: Pick,
        path: Option<PathBuf>,
    },
    Exported(Result<PathBuf, String>),
    /// A job ended in a panic (a bug): reported instead of leaving the window waiting forever.
    Crashed {
        job: Job,
        message: String,
    },
}

/// The kinds of background work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Job {
    Load,
    Ca,
    ServerCa,
    Assess,
    Test,
    Dialog,
    Export,
}

impl Job {
    fn name(self) -> &'static str {
        match self {
            Job::Load => "load",
            Job::Ca => "ca",
            Job::ServerCa => "server-ca",
            Job::Assess => "assess",
            Job::Test => "test",
            Job::Dialog => "dialog",
            Job::Export => "export",
        }
    }
}

/// What a file dialog was opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pick {
    Identity,
    Ca,
    ServerCa,
    ExportReport,
}

/// How the live test reaches the server, as the window's form holds it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

impl NetworkForm {
    /// The form as it is remembered: `environment`, `direct`, or the proxy URL.
    fn remembered(&self) -> String {
        match self.proxy {
            ProxyChoice::Environment => "environment".to_owned(),
            ProxyChoice::Direct => "direct".to_owned(),
            ProxyChoice::Custom => self.proxy_url.trim().to_owned(),
        }
    }

    fn from_remembered(text: &str) -> Self {
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
            .map(|line| ResolveEntry::parse(line).map_err(|e| e.to_string()))
            .collect::<Result<_, _>>()?;
        request.http_version = self.http_version;
        request.follow_redirects = self.follow;
        Ok(())
    }
}

/// The Certlens window.
pub struct CertlensApp {
    pub(super) settings: Settings,
    settings_path: Option<PathBuf>,
    pub(super) profile: Profile,
    pub(super) tab: Tab,
    pub(super) loaded: Option<Loaded>,
    pub(super) loading: Option<PathBuf>,
    /// Stops the load under way when the user cancels it or starts another.
    load_cancel: Cancel,
    pub(super) unlock: Option<Unlock>,
    pub(super) load_error: Option<String>,
    pub(super) cas: Vec<(PathBuf, Vec<Certificate>)>,
    pub(super) ca_error: Option<String>,
    pub(super) verification: Option<Verification>,
    pub(super) view: Option<EdgeView>,
    pub(super) url: String,
    pub(super) headers: String,
    pub(super) server_ca: Option<(PathBuf, Vec<Certificate>)>,
    pub(super) insecure: bool,
    /// The live test's network settings (proxy, addresses, HTTP version, redirects).
    pub(super) network: NetworkForm,
    pub(super) test: TestState,
    pub(super) status: Option<String>,
    load_generation: u64,
    assess_generation: u64,
    test_generation: u64,
    sender: Sender<JobResult>,
    receiver: Receiver<JobResult>,
    context: Option<egui::Context>,
}

impl CertlensApp {
    /// The app, with `startup` applied.
    pub fn new(startup: Startup) -> Self {
        let settings = startup
            .settings_path
            .as_deref()
            .map(Settings::load)
            .unwrap_or_default();
        let (sender, receiver) = channel();
        let settings_proxy = startup
            .proxy
            .clone()
            .unwrap_or_else(|| settings.proxy.clone());
        let mut app = Self {
            profile: settings.profile,
            url: startup
                .url
                .clone()
                .unwrap_or_else(|| settings.last_url.clone()),
            settings,
            settings_path: startup.settings_path.clone(),
            tab: if startup.url.is_some() {
                Tab::Test
            } else {
                Tab::Fields
            },
            loaded: None,
            loading: None,
            load_cancel: Cancel::new(),
            unlock: None,
            load_error: None,
            cas: Vec::new(),
            ca_error: None,
            verification: None,
            view: None,
            headers: String::new(),
            server_ca: None,
            insecure: false,
            network: NetworkForm::from_remembered(&settings_proxy),
            test: TestState::Idle,
            status: None,
            load_generation: 0,
            assess_generation: 0,
            test_generation: 0,
            sender,
            receiver,
            context: None,
        };
        let cas = if startup.cas.is_empty() {
            app.settings.last_cas.clone()
        } else {
            startup.cas.clone()
        };
        for ca in cas {
            app.add_ca(ca);
        }
        if let Some(server_ca) = startup
            .server_ca
            .or_else(|| app.settings.last_server_ca.clone())
        {
            app.set_server_ca(server_ca);
        }
        if let Some(file) = startup.file {
            app.open(file);
        }
        app
    }

    /// The eframe entry point: settings from the OS config folder.
    pub fn with_context(context: &eframe::CreationContext<'_>, startup: Startup) -> Self {
        let mut app = Self::new(startup);
        app.context = Some(context.egui_ctx.clone());
        app
    }

    /// Runs `job` on a named background thread; its result arrives through the channel.
    pub(super) fn spawn(&self, kind: Job, job: impl FnOnce() -> JobResult + Send + 'static) {
        let sender = self.sender.clone();
        let context = self.context.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("certlens-{}", kind.name()))
            .spawn(move || {
                let result = crate::contain::contain(job)
                    .unwrap_or_else(|message| JobResult::Crashed { job: kind, message });
                let _ = sender.send(result);
                if let Some(context) = context {
                    context.request_repaint();
                }
            });
        if let Err(error) = spawned {
            let _ = self.sender.send(JobResult::Exported(Err(format!(
                "cannot start a background task: {error}"
            ))));
        }
    }

    /// True while a background job is under way (the window keeps repainting).
    pub fn busy(&self) -> bool {
        self.loading.is_some() || matches!(self.test, TestState::Running)
    }

    /// Loads an identity file in the background (empty password first).
    pub fn open(&mut self, path: PathBuf) {
        self.open_with(path, None);
    }

    fn open_with(&mut self, path: PathBuf, password: Option<Password>) {
        self.load_generation += 1;
        let generation = self.load_generation;
        self.loading = Some(path.clone());
        self.load_cancel.cancel();
        self.load_cancel = Cancel::new();
        let cancel = self.load_cancel.clone();
        let with_password = password.is_some();
        self.spawn(Job::Load, move || {
            let result = load_file_cancellable(&path, password.as_ref(), &cancel);
            JobResult::Loaded {
                generation,
                path,
                result,
                with_password,
            }
        });
    }

    /// Stops the load under way (its key derivations notice within a fraction of a second;
    /// its result, should it still come, is ignored).
    pub fn cancel_load(&mut self) {
        self.load_cancel.cancel();
        self.load_generation += 1;
        self.loading = None;
    }

    /// Tries the password typed in the unlock card.
    pub fn submit_password(&mut self) {
        if let Some(unlock) = &self.unlock {
            let password = Password::new(unlock.password.as_str());
            self.open_with(unlock.path.clone(), Some(password));
        }
    }

    /// Adds a CA file (loaded in the background).
    pub fn add_ca(&mut self, path: PathBuf) {
        self.spawn(Job::Ca, move || {
            let result = load_file(&path, None)
                .map_err(|e| e.to_string())
                .and_then(|file| {
                    if file.certificates.is_empty() {
                        Err("the file holds no certificate".to_owned())
                    } else {
                        Ok(file.certificates)
                    }
                });
            JobResult::CaLoaded { path, result }
        });
    }

    /// Removes a CA file.
    pub fn remove_ca(&mut self, index: usize) {
        if index < self.cas.len() {
            self.cas.remove(index);
            self.remember();
            self.reassess();
        }
    }

    /// Chooses the CA for the server's own certificate.
    pub fn set_server_ca(&mut self, path: PathBuf) {
        self.spawn(Job::ServerCa, move || {
            let result = load_file(&path, None)
                .map(|f| f.certificates)
                .map_err(|e| e.to_string());
            JobResult::ServerCaLoaded { path, result }
        });
    }

    /// Switches the profile and recomputes.
    pub fn set_profile(&mut self, profile: Profile) {
        if self.profile != profile {
            self.profile = profile;
            self.remember();
            self.reassess();
        }
    }

    /// Recomputes the verification and fields in the background.
    pub(super) fn reassess(&mut self) {
        let Some(loaded) = &self.loaded else { return };
        self.assess_generation += 1;
        let generation = self.assess_generation;
        let identity = loaded.identity().clone();
        let trust = Trust {
            cas: self
                .cas
                .iter()
                .flat_map(|(_, certs)| certs.iter().cloned())
                .collect(),
            ..Trust::default()
        };
        let profile = self.profile;
        self.spawn(Job::Assess, move || {
            let fallback = identity.find_issuer(&trust.cas).cloned();
            let assessment = Box::new(trust.assess(&identity, fallback.as_ref(), profile));
            JobResult::Assessed {
                generation,
                assessment,
            }
        });
    }

    /// Sends the live test in the background.
    pub fn start_test(&mut self) {
        let Some(loaded) = &self.loaded else {
            self.test = TestState::Failed("Load a client identity first.".into());
            return;
        };
        let identity = loaded.identity().clone();
        if identity.key.is_none() {
            self.test = TestState::Failed("The file holds no private key for its certificate; a TLS client needs both (open the .p12, or one PEM with the key).".into());
            return;
        }
        let request = match self.request() {
            Ok(request) => request,
            Err(error) => {
                self.test = TestState::Failed(error);
                return;
            }
        };
        let trust = Trust {
            cas: self
                .cas
                .iter()
                .flat_map(|(_, certs)| certs.iter().cloned())
                .collect(),
            ..Trust::default()
        };
        let profile = self.profile;
        self.test_generation += 1;
        let generation = self.test_generation;
        self.test = TestState::Running;
        self.settings.last_url = self.url.trim().to_owned();
        self.remember();
        self.spawn(Job::Test, move || {
            let result = LiveTest::run(&identity, &trust, profile, &request)
                .map(Box::new)
                .map_err(|e| e.to_string());
            JobResult::Tested { generation, result }
        });
    }

    /// The request the form describes.
    pub(super) fn request(&self) -> Result<HttpRequest, String> {
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
    pub(super) fn curl(&self) -> Result<String, String> {
        let loaded = self
            .loaded
            .as_ref()
            .ok_or_else(|| "Load a client identity first.".to_owned())?;
        let request = self.request()?;
        let files = CurlIdentity {
            path: loaded.path.clone(),
            pkcs12: loaded.file.format == crate::identity::FileFormat::Pkcs12,
            password_variable: loaded
                .password_protected
                .then(|| "CERTLENS_PASSWORD".to_owned()),
            server_ca: self.server_ca.iter().map(|(p, _)| p.clone()).collect(),
            data_file: None,
            proxy_password_variable: None,
        };
        Ok(curl_command(&request, &files))
    }

    /// Abandons the running test (its answer, if it comes, is ignored).
    pub fn cancel_test(&mut self) {
        self.test_generation += 1;
        self.test = TestState::Failed("Cancelled.".into());
    }

    /// Opens a native file dialog off the UI thread.
    pub(super) fn pick(&self, purpose: Pick) {
        self.spawn(Job::Dialog, move || {
            let dialog = rfd::FileDialog::new();
            let path = match purpose {
                Pick::Identity => dialog
                    .set_title("Open a client certificate")
                    .add_filter(
                        "Certificates and identities",
                        &["p12", "pfx", "pem", "crt", "cer", "der", "key", "p7b"],
                    )
                    .add_filter("All files", &["*"])
                    .pick_file(),
                Pick::Ca | Pick::ServerCa => dialog
                    .set_title("Choose a CA certificate")
                    .add_filter("Certificates", &["pem", "crt", "cer", "der", "p7b"])
                    .add_filter("All files", &["*"])
                    .pick_file(),
                Pick::ExportReport => dialog
                    .set_title("Export report")
                    .set_file_name("certlens-report.html")
                    .add_filter("HTML", &["html"])
                    .add_filter("Markdown", &["md"])
                    .add_filter("JSON", &["json"])
                    .add_filter("CSV", &["csv"])
                    .save_file(),
            };
            JobResult::Picked { purpose, path }
        });
    }

    /// Writes a report of the current state to `path` (format from its extension).
    pub fn export_report(&mut self, path: PathBuf) {
        let (Some(loaded), Some(view)) = (&self.loaded, &self.view) else {
            self.status = Some("Load a certificate before exporting a report.".into());
            return;
        };
        let Some(format) = crate::report::Format::from_extension(&path) else {
            self.status = Some("Name the report .html, .md, .json or .csv.".into());
            return;
        };
        let live = match &self.test {
            TestState::Done(test) => Some(test.as_ref()),
            _ => None,
        };
        // Built here from the window's state; rendered and written on the background job.
        let report = crate::report::Report::new(
            &loaded.file,
            loaded.identity(),
            view,
            self.verification
                .as_ref()
                .map(|v| (v, crate::fields::Instant::now())),
            live,
        );
        self.spawn(Job::Export, move || {
            let text = report.render(format);
            JobResult::Exported(
                std::fs::write(&path, text)
                    .map(|()| path.clone())
                    .map_err(|e| format!("cannot write {}: {e}", path.display())),
            )
        });
    }

    fn remember(&mut self) {
        self.settings.profile = self.profile;
        self.settings.last_cas = self.cas.iter().map(|(p, _)| p.clone()).collect();
        self.settings.last_server_ca = self.server_ca.as_ref().map(|(p, _)| p.clone());
        self.settings.proxy = self.network.remembered();
        if let Some(path) = &self.settings_path {
            // Settings are a convenience; failing to save them must not disturb the work.
            let _ = self.settings.save(path);
        }
    }

    /// Applies the results of finished background jobs.
    pub fn poll(&mut self) {
        while let Ok(result) = self.receiver.try_recv() {
            self.apply(result);
        }
    }

    fn apply(&mut self, result: JobResult) {
        match result {
            JobResult::Loaded {
                generation,
                path,
                result,
                with_password,
            } => {
                if generation != self.load_generation {
                    return;
                }
                self.loading = None;
                match result.and_then(|file| file.identity().map(|_| file)) {
                    Ok(file) => {
                        let mut identities = file.identities();
                        if identities.is_empty() {
                            identities = file.identity().into_iter().collect();
                        }
                        self.settings.remember_file(&path);
                        self.loaded = Some(Loaded {
                            path,
                            file,
                            identities,
                            selected: 0,
                            password_protected: with_password,
                        });
                        self.unlock = None;
                        self.load_error = None;
                        self.test = TestState::Idle;
                        self.remember();
                        self.reassess();
                    }
                    Err(LoadError::PasswordNeeded { what }) => {
                        self.unlock = Some(Unlock {
                            path,
                            what,
                            password: Zeroizing::new(String::new()),
                            error: None,
                            focus: true,
                        });
                    }
                    Err(error @ LoadError::WrongPassword { .. }) if with_password => {
                        if let Some(unlock) = &mut self.unlock {
                            unlock.error = Some(error.to_string());
                            unlock.focus = true;
                        }
                    }
                    // A failed load keeps whatever was loaded before.
                    Err(error) => {
                        self.unlock = None;
                        self.load_error = Some(format!("{}: {error}", path.display()));
                    }
                }
            }
            JobResult::CaLoaded { path, result } => match result {
                Ok(certs) => {
                    self.cas.retain(|(p, _)| p != &path);
                    self.cas.push((path, certs));
                    self.ca_error = None;
                    self.remember();
                    self.reassess();
                }
                Err(error) => self.ca_error = Some(format!("{}: {error}", path.display())),
            },
            JobResult::ServerCaLoaded { path, result } => match result {
                Ok(certs) => {
                    self.server_ca = Some((path, certs));
                    self.remember();
                }
                Err(error) => self.status = Some(format!("{}: {error}", path.display())),
            },
            JobResult::Assessed {
                generation,
                assessment,
            } => {
                if generation == self.assess_generation {
                    let (verification, view) = *assessment;
                    self.verification = verification;
                    self.view = Some(view);
                }
            }
            JobResult::Tested { generation, result } => {
                if generation == self.test_generation {
                    self.test = match result {
                        Ok(test) => TestState::Done(test),
                        Err(error) => TestState::Failed(error),
                    };
                }
            }
            JobResult::Picked {
                purpose,
                path: Some(path),
            } => match purpose {
                Pick::Identity => self.open(path),
                Pick::Ca => self.add_ca(path),
                Pick::ServerCa => self.set_server_ca(path),
                Pick::ExportReport => self.export_report(path),
            },
            JobResult::Picked { path: None, .. } => {}
            JobResult::Exported(result) => {
                self.status = Some(match result {
                    Ok(path) => format!("Report written to {}", path.display()),
                    Err(error) => error,
                });
            }
            JobResult::Crashed { job, message } => {
                let sentence = format!(
                    "Certlens failed unexpectedly ({message}); what was loaded is kept. Please report this with the steps that led to it."
                );
                match job {
                    Job::Load => {
                        self.loading = None;
                        self.load_error = Some(sentence);
                    }
                    Job::Test => self.test = TestState::Failed(sentence),
                    _ => self.status = Some(sentence),
                }
            }
        }
    }

    /// Files dropped on the window: CA files on the Verify tab, identities elsewhere.
    fn take_dropped_files(&mut self, ui: &egui::Ui) {
        let dropped: Vec<PathBuf> = ui.ctx().input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        for path in dropped {
            if self.tab == Tab::Verify {
                self.add_ca(path);
            } else {
                self.open(path);
            }
        }
    }

    /// Draws one frame into `ui` (the whole window).
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        if self.context.is_none() {
            self.context = Some(ui.ctx().clone());
        }
        self.poll();
        self.take_dropped_files(ui);
        let open = ui.ctx().input_mut(|i| {
            i.consume_shortcut(&egui::KeyboardShortcut::new(
                egui::Modifiers::COMMAND,
                egui::Key::O,
            ))
        });
        if open {
            self.pick(Pick::Identity);
        }
        let run = ui.ctx().input_mut(|i| {
            i.consume_shortcut(&egui::KeyboardShortcut::new(
                egui::Modifiers::COMMAND,
                egui::Key::Enter,
            ))
        });
        if run && !matches!(self.test, TestState::Running) {
            self.tab = Tab::Test;
            self.start_test();
        }

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::left("load")
            .default_size(330.0)
            .min_size(260.0)
            .show(ui, |ui| {
                egui::ScrollArea::vertical().show(ui, |ui| load::show(self, ui));
            });
        egui::CentralPanel::default().show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.selectable_value(&mut self.tab, Tab::Fields, "Fields");
                ui.selectable_value(&mut self.tab, Tab::Verify, "Verify");
                ui.selectable_value(&mut self.tab, Tab::Test, "Live test");
                ui.selectable_value(&mut self.tab, Tab::Details, "Details");
            });
            ui.separator();
            egui::ScrollArea::vertical()
                .auto_shrink([false, false])
                .show(ui, |ui| match self.tab {
                    Tab::Fields => fields::show(self, ui),
                    Tab::Verify => verify::show(self, ui),
                    Tab::Test => test::show(self, ui),
                    Tab::Details => details::show(self, ui),
                });
        });
        if self.busy() {
            ui.ctx()
                .request_repaint_after(std::time::Duration::from_millis(50));
        }
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            if ui.button("Open…").on_hover_text("Open a .p12, .pfx, PEM or DER file (Ctrl+O); or drop it on the window").clicked() {
                self.pick(Pick::Identity);
            }
            if ui.add_enabled(self.view.is_some(), egui::Button::new("Export report…")).clicked() {
                self.pick(Pick::ExportReport);
            }
            ui.separator();
            ui.label("Edge profile:");
            let mut profile = self.profile;
            ui.radio_value(&mut profile, Profile::Cloudflare, "Cloudflare").on_hover_text("BoringSSL's formatting and verdict words, as Cloudflare's edge shows them");
            ui.radio_value(&mut profile, Profile::Nginx, "nginx").on_hover_text("OpenSSL 3's formatting and verdict words, as nginx's $ssl_client_* variables show them");
            self.set_profile(profile);
            if let Some(status) = &self.status {
                ui.separator();
                ui.label(status);
            }
        });
    }

    /// The profile the window shows.
    pub fn settings_profile(&self) -> Profile {
        self.profile
    }

    /// The identity file shown, if any.
    pub fn loaded_path(&self) -> Option<&Path> {
        self.loaded.as_ref().map(|l| l.path.as_path())
    }
}

impl eframe::App for CertlensApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }
}
