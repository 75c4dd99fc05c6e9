//! The window's one place of change. Once per frame it applies what background jobs finished,
//! lays the panes out (each reads the state and sends commands), then applies the commands.
//! Every long step — loading, verifying, the request, dialogs, reports, settings — is a job.

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use crate::certificate::Instant;
use crate::fields::Profile;
use crate::identity::{Cancel, LoadError, Password, load_file, load_file_cancellable};
use crate::probe::LiveTest;
use crate::probe::tls::TlsSetupError;
use crate::report::{Overview, Report, display_name};
use crate::settings::Settings;

use super::command::{Command, Commands, Pick};
use super::jobs::{Job, JobResult, Jobs};
use super::panes;
use super::state::{
    Assessment, AuditState, Loaded, Secret, SetupState, Startup, State, Tab, TestState,
    TokenPicker, Unlock,
};
use crate::identity::token::{TokenError, is_pkcs11_uri};

/// The Certlens window.
pub struct CertlensApp {
    state: State,
    commands: Commands,
    jobs: Jobs,
    settings_path: Option<PathBuf>,
    /// Stops the load under way when the user cancels it or starts another.
    load_cancel: Cancel,
    load_generation: u64,
    assess_generation: u64,
    test_generation: u64,
    audit_generation: u64,
    setup_generation: u64,
    /// The window title last set.
    title: String,
}

impl CertlensApp {
    /// The app, with `startup` applied.
    pub fn new(startup: Startup) -> Self {
        let settings = startup
            .settings_path
            .as_deref()
            .map(Settings::load)
            .unwrap_or_default();
        let cas = if startup.cas.is_empty() {
            settings.last_cas.clone()
        } else {
            startup.cas.clone()
        };
        let server_ca = startup
            .server_ca
            .clone()
            .or_else(|| settings.last_server_ca.clone());
        let mut app = Self {
            state: State::new(settings, &startup),
            commands: Commands::default(),
            jobs: Jobs::new(),
            settings_path: startup.settings_path,
            load_cancel: Cancel::new(),
            load_generation: 0,
            assess_generation: 0,
            test_generation: 0,
            audit_generation: 0,
            setup_generation: 0,
            title: String::new(),
        };
        for ca in cas {
            app.apply(Command::AddCa(ca));
        }
        if let Some(server_ca) = server_ca {
            app.apply(Command::SetServerCa(server_ca));
        }
        if let Some(file) = startup.file {
            app.apply(Command::Open(file));
        }
        app
    }

    /// The eframe entry point: settings from the OS config folder.
    pub fn with_context(context: &eframe::CreationContext<'_>, startup: Startup) -> Self {
        Self::with_egui_context(&context.egui_ctx, startup)
    }

    /// The app for a window whose frames `context` runs (background jobs wake it).
    pub fn with_egui_context(context: &egui::Context, startup: Startup) -> Self {
        let mut app = Self::new(startup);
        app.jobs.context = Some(context.clone());
        app
    }

    /// What the window shows.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Carries out `command` as if a pane had sent it.
    pub fn command(&mut self, command: Command) {
        self.apply(command);
    }

    /// Opens an identity file (as dropping it on the window does).
    pub fn open(&mut self, path: PathBuf) {
        self.apply(Command::Open(path));
    }

    /// Writes a report of the current state to `path` (format from its extension).
    pub fn export_report(&mut self, path: PathBuf) {
        self.apply(Command::ExportReport(path));
    }

    /// The profile the window shows.
    pub fn settings_profile(&self) -> Profile {
        self.state.profile
    }

    /// The identity file shown, if any.
    pub fn loaded_path(&self) -> Option<&Path> {
        self.state.loaded_path()
    }

    /// Draws one frame into `ui` (the whole window).
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let context = ui.ctx().clone();
        if self.jobs.context.is_none() {
            self.jobs.context = Some(context.clone());
        }
        for result in self.jobs.finished() {
            self.finish(result);
        }
        self.take_input(&context);
        panes::show(ui, &self.state, &self.commands);
        for command in self.commands.take() {
            self.apply_with(command, Some(&context));
        }
        let title = match &self.state.assessment {
            Some(assessment) => format!("{} — Certlens", assessment.overview.title),
            None => "Certlens".to_owned(),
        };
        if title != self.title {
            context.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
        if self.state.busy() {
            context.request_repaint_after(std::time::Duration::from_millis(50));
        }
    }

    /// Shortcuts and dropped files: CA files on the Verify tab, identities elsewhere.
    fn take_input(&mut self, context: &egui::Context) {
        let dropped: Vec<PathBuf> = context.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        for path in dropped {
            self.commands.send(if self.state.tab == Tab::Verify {
                Command::AddCa(path)
            } else {
                Command::Open(path)
            });
        }
        let shortcut = |key| {
            context.input_mut(|i| {
                i.consume_shortcut(&egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, key))
            })
        };
        if shortcut(egui::Key::O) {
            self.commands.send(Command::Pick(Pick::Identity));
        }
        if shortcut(egui::Key::Enter) && !matches!(self.state.test, TestState::Running) {
            self.commands.send(Command::ShowTab(Tab::Test));
            self.commands.send(Command::StartTest);
        }
    }

    /// Applies one command outside a frame (at start-up, after a dialog): no clipboard.
    fn apply(&mut self, command: Command) {
        self.apply_with(command, None);
    }

    /// Applies one command; `context` is the clipboard's way out.
    fn apply_with(&mut self, command: Command, context: Option<&egui::Context>) {
        let state = &mut self.state;
        match command {
            Command::Open(path) => self.load(path, None),
            Command::Pick(purpose) => self.pick(purpose),
            Command::TypePassword(password) => {
                if let Some(unlock) = &mut state.unlock {
                    unlock.password = password;
                }
            }
            Command::TypeKeyPassword(password) => {
                if let Some(unlock) = &mut state.unlock {
                    unlock.key_password = password;
                }
            }
            Command::SubmitPassword => {
                if let Some(unlock) = &state.unlock {
                    let mut password = Password::new(unlock.password.as_str());
                    if !unlock.key_password.is_empty() {
                        password = password.with_key_password(unlock.key_password.as_str());
                    }
                    let path = unlock.path.clone();
                    self.load(path, Some(password));
                }
            }
            Command::OpenWithoutKey => {
                if let Some(unlock) = state.unlock.take() {
                    self.load_token(unlock.path, None, false);
                }
            }
            Command::ListTokens => {
                state.tokens = TokenPicker::Listing;
                self.jobs.spawn(Job::Tokens, || {
                    JobResult::TokensListed(
                        crate::identity::token::list(None, None).map_err(|e| e.to_string()),
                    )
                });
            }
            Command::CloseTokens => state.tokens = TokenPicker::Closed,
            Command::DismissUnlock => state.unlock = None,
            Command::FocusTaken => {
                if let Some(unlock) = &mut state.unlock {
                    unlock.focus = false;
                }
            }
            Command::CancelLoad => {
                // Its key derivations notice within a fraction of a second; its result, should
                // it still come, is ignored.
                self.load_cancel.cancel();
                self.load_generation += 1;
                state.loading = None;
            }
            Command::AddCa(path) => self.add_ca(path),
            Command::RemoveCa(index) => {
                if index < state.cas.len() {
                    state.cas.remove(index);
                    self.save_settings();
                    self.reassess();
                }
            }
            Command::SetServerCa(path) => self.set_server_ca(path),
            Command::SetProfile(profile) => {
                if state.profile != profile {
                    state.profile = profile;
                    self.save_settings();
                    self.reassess();
                }
            }
            Command::SelectIdentity(index) => {
                if let Some(loaded) = &mut state.loaded
                    && index < loaded.identities.len()
                    && index != loaded.selected
                {
                    loaded.selected = index;
                    self.reassess();
                }
            }
            Command::ShowTab(tab) => state.tab = tab,
            Command::SetUrl(url) => state.url = url,
            Command::SetHeaders(headers) => state.headers = headers,
            Command::SetInsecure(insecure) => state.insecure = insecure,
            Command::SetNetwork(network) => {
                let proxy_changed = network.remembered() != state.network.remembered();
                state.network = network;
                if proxy_changed {
                    self.save_settings();
                }
            }
            Command::StartTest => self.start_test(),
            Command::StartAudit => self.start_audit(),
            Command::SetResumeFrom(url) => state.resume_from = url,
            Command::SetCloudflare(form) => state.cloudflare = form,
            Command::CheckCloudflare => self.check_cloudflare(),
            Command::CancelTest => {
                self.test_generation += 1;
                state.test = TestState::Failed("Cancelled.".into());
            }
            Command::ExportReport(path) => self.export(path),
            Command::Copy(text) => {
                if let Some(context) = context {
                    context.copy_text(text);
                }
            }
            Command::CopyCurl => match (state.curl(), context) {
                (Ok(command), Some(context)) => {
                    context.copy_text(command);
                    state.status = Some("Copied the curl command.".into());
                }
                (Ok(_), None) => {}
                (Err(error), _) => state.test = TestState::Failed(error),
            },
        }
    }

    fn load(&mut self, path: PathBuf, password: Option<Password>) {
        if path.to_str().is_some_and(is_pkcs11_uri) {
            // The window always wants the key (for the live test): the PIN card asks for it.
            self.load_token(path, password, true);
            return;
        }
        self.load_generation += 1;
        let generation = self.load_generation;
        self.state.loading = Some(path.clone());
        self.load_cancel.cancel();
        self.load_cancel = Cancel::new();
        let cancel = self.load_cancel.clone();
        let with_password = password.is_some();
        self.jobs.spawn(Job::Load, move || {
            let result = load_file_cancellable(&path, password.as_ref(), &cancel);
            JobResult::Loaded {
                generation,
                path,
                result,
                with_password,
            }
        });
    }

    /// Opens a token identity in the background: its certificates, and its key after one
    /// login with `pin` when `need_key`.
    fn load_token(&mut self, uri: PathBuf, pin: Option<Password>, need_key: bool) {
        self.load_generation += 1;
        let generation = self.load_generation;
        self.state.loading = Some(uri.clone());
        let with_password = pin.is_some();
        self.jobs.spawn(Job::Load, move || {
            let result =
                crate::identity::load_token(&uri.to_string_lossy(), None, pin.as_ref(), need_key);
            JobResult::Loaded {
                generation,
                path: uri,
                result,
                with_password,
            }
        });
    }

    fn add_ca(&mut self, path: PathBuf) {
        self.jobs.spawn(Job::Ca, move || {
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

    fn set_server_ca(&mut self, path: PathBuf) {
        self.jobs.spawn(Job::ServerCa, move || {
            let result = load_file(&path, None)
                .map(|f| f.certificates)
                .map_err(|e| e.to_string());
            JobResult::ServerCaLoaded { path, result }
        });
    }

    /// Verifies and computes everything shown for the identity, in the background.
    fn reassess(&mut self) {
        let Some(loaded) = &self.state.loaded else {
            return;
        };
        self.assess_generation += 1;
        let generation = self.assess_generation;
        let file = loaded.file.clone();
        let identity = loaded.identity().clone();
        let trust = self.state.trust();
        let profile = self.state.profile;
        self.jobs.spawn(Job::Assess, move || {
            let crate::assess::Assessment { verification, view } = trust.assess(&identity, profile);
            let at = Instant::now();
            let overview = Overview::new(&file, &identity, &view, verification.as_ref(), at);
            let every_edge = crate::report::EveryEdge::new(&trust.every_edge(&identity));
            JobResult::Assessed {
                generation,
                assessment: Box::new(Assessment {
                    verification,
                    view,
                    overview,
                    at,
                    every_edge,
                }),
            }
        });
    }

    fn start_test(&mut self) {
        let state = &mut self.state;
        let Some(identity) = state.identity().cloned() else {
            state.test = TestState::Failed("Load a client identity first.".into());
            return;
        };
        if identity.key.is_none() {
            state.test = TestState::Failed(TlsSetupError::NoPrivateKey.to_string());
            return;
        }
        let request = match state.request() {
            Ok(request) => request,
            Err(error) => {
                state.test = TestState::Failed(error);
                return;
            }
        };
        let trust = state.trust();
        let profile = state.profile;
        self.test_generation += 1;
        let generation = self.test_generation;
        state.test = TestState::Running;
        state.settings.last_url = state.url.trim().to_owned();
        self.save_settings();
        self.jobs.spawn(Job::Test, move || {
            let result = LiveTest::run(&identity, &trust, profile, &request)
                .map(Box::new)
                .map_err(|e| super::hints::describe(&e));
            JobResult::Tested { generation, result }
        });
    }

    /// Sends the audit's probes in the background, with the live test's request settings.
    fn start_audit(&mut self) {
        let state = &mut self.state;
        let Some(identity) = state.identity().cloned() else {
            state.audit = AuditState::Failed("Load a client identity first.".into());
            return;
        };
        if identity.key.is_none() {
            state.audit = AuditState::Failed(TlsSetupError::NoPrivateKey.to_string());
            return;
        }
        let request = match state.request() {
            Ok(request) => request,
            Err(error) => {
                state.audit = AuditState::Failed(error);
                return;
            }
        };
        let trust = state.trust();
        let profile = state.profile;
        let resume_from = Some(state.resume_from.trim().to_owned()).filter(|url| !url.is_empty());
        self.audit_generation += 1;
        let generation = self.audit_generation;
        state.audit = AuditState::Running;
        self.jobs.spawn(Job::Audit, move || {
            let more = crate::audit::MoreProbes {
                test_ca: None,
                resume_from: resume_from.as_deref(),
            };
            let result = crate::audit::Audit::run_with(&identity, &trust, profile, &request, &more)
                .map(Box::new)
                .map_err(|e| e.to_string());
            JobResult::Audited { generation, result }
        });
    }

    /// Reads the hostname's Cloudflare setup in the background, for the Live test's URL.
    fn check_cloudflare(&mut self) {
        let state = &mut self.state;
        let Some(identity) = state.identity().cloned() else {
            state.setup = SetupState::Failed("Load a client identity first.".into());
            return;
        };
        let token = match crate::edge_setup::cloudflare::ApiToken::new(&state.cloudflare.token) {
            Ok(token) => token,
            Err(error) => {
                state.setup = SetupState::Failed(format!(
                    "{error}: paste a read-only API token in the field above."
                ));
                return;
            }
        };
        let url = state.url.trim().to_owned();
        let form = state.cloudflare.clone();
        self.setup_generation += 1;
        let generation = self.setup_generation;
        state.setup = SetupState::Running;
        self.jobs.spawn(Job::Cloudflare, move || {
            let path = Some(form.path.trim()).filter(|p| !p.is_empty());
            let request = crate::edge_setup::cloudflare::SetupRequest {
                url: &url,
                path,
                identity: &identity,
                behind_worker: form.worker,
                api_base: form.api_base.trim(),
                timeout: crate::limits::DEFAULT_TIMEOUT,
            };
            let result = crate::edge_setup::cloudflare::check(&request, token)
                .map(Box::new)
                .map_err(|e| super::hints::describe_setup(&e));
            JobResult::SetupChecked { generation, result }
        });
    }

    fn pick(&self, purpose: Pick) {
        self.jobs.spawn(Job::Dialog, move || {
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

    /// Builds the report from the state; renders and writes it on a job.
    fn export(&mut self, path: PathBuf) {
        let state = &mut self.state;
        let (Some(loaded), Some(assessment)) = (&state.loaded, &state.assessment) else {
            state.status = Some("Load a certificate before exporting a report.".into());
            return;
        };
        let Some(format) = crate::report::Format::from_extension(&path) else {
            state.status = Some("Name the report .html, .md, .json or .csv.".into());
            return;
        };
        let live = match &state.test {
            TestState::Done(test) => Some(test.as_ref()),
            _ => None,
        };
        let mut report = Report::new(
            &loaded.file,
            loaded.identity(),
            &assessment.view,
            assessment.verification.as_ref().map(|v| (v, assessment.at)),
            live,
        );
        if let AuditState::Done(audit) = &state.audit {
            report = report.with_audit(audit);
        }
        if let SetupState::Done(check) = &state.setup {
            report = report.with_cloudflare_setup(check);
        }
        self.jobs.spawn(Job::Export, move || {
            JobResult::Exported(
                std::fs::write(&path, report.render(format))
                    .map(|()| path.clone())
                    .map_err(|e| format!("cannot write {}: {e}", path.display())),
            )
        });
    }

    /// Writes the settings on a job; a failure is shown, never silent.
    fn save_settings(&mut self) {
        let settings = self.state.remembered();
        self.state.settings = settings.clone();
        let Some(path) = self.settings_path.clone() else {
            return;
        };
        self.jobs.spawn(Job::Settings, move || {
            JobResult::SettingsSaved(
                settings
                    .save(&path)
                    .map_err(|e| format!("cannot save the settings to {}: {e}", path.display())),
            )
        });
    }

    /// Applies what a background job reports.
    fn finish(&mut self, result: JobResult) {
        let state = &mut self.state;
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
                state.loading = None;
                match result.and_then(|file| file.identity().map(|_| file)) {
                    Ok(file) => {
                        let mut identities = file.identities();
                        if identities.is_empty() {
                            identities = file.identity().into_iter().collect();
                        }
                        let identities = identities
                            .into_iter()
                            .map(|identity| {
                                let name =
                                    display_name(identity.leaf.subject_der()).unwrap_or_default();
                                (identity, name)
                            })
                            .collect();
                        state.settings.remember_file(&path);
                        // The token list has done its job once one of its identities is open.
                        if path.to_str().is_some_and(is_pkcs11_uri) {
                            state.tokens = TokenPicker::Closed;
                        }
                        state.loaded = Some(Loaded {
                            path,
                            file,
                            identities,
                            selected: 0,
                            password_protected: with_password,
                        });
                        state.unlock = None;
                        state.load_error = None;
                        state.test = TestState::Idle;
                        state.assessment = None;
                        self.save_settings();
                        self.reassess();
                    }
                    Err(LoadError::PasswordNeeded { what }) => {
                        let secret = if what == crate::identity::KEYSTORE {
                            Secret::Keystore
                        } else {
                            Secret::Password
                        };
                        state.unlock = Some(Unlock::new(path, what.to_owned(), secret));
                    }
                    Err(LoadError::Token(TokenError::PinNeeded { token })) => {
                        state.unlock = Some(Unlock::new(
                            path,
                            format!("the key stays on the token “{token}”; its PIN lets it sign"),
                            Secret::Pin,
                        ));
                    }
                    Err(
                        error @ (LoadError::WrongPassword { .. }
                        | LoadError::Token(
                            TokenError::WrongPin { .. } | TokenError::PinLocked { .. },
                        )),
                    ) if with_password => {
                        if let Some(unlock) = &mut state.unlock {
                            unlock.error = Some(error.to_string());
                            // A refused PIN is cleared: the next try is typed anew, never resent.
                            if unlock.secret == Secret::Pin {
                                unlock.password = Zeroizing::new(String::new());
                            }
                            unlock.focus = true;
                        }
                    }
                    // A failed load keeps whatever was loaded before.
                    Err(error) => {
                        state.unlock = None;
                        state.load_error = Some(format!("{}: {error}", path.display()));
                    }
                }
            }
            JobResult::CaLoaded { path, result } => match result {
                Ok(certs) => {
                    state.cas.retain(|(p, _)| p != &path);
                    state.cas.push((path, certs));
                    state.ca_error = None;
                    self.save_settings();
                    self.reassess();
                }
                Err(error) => state.ca_error = Some(format!("{}: {error}", path.display())),
            },
            JobResult::ServerCaLoaded { path, result } => match result {
                Ok(certs) => {
                    state.server_ca = Some((path, certs));
                    self.save_settings();
                }
                Err(error) => state.status = Some(format!("{}: {error}", path.display())),
            },
            JobResult::Assessed {
                generation,
                assessment,
            } => {
                if generation == self.assess_generation {
                    state.assessment = Some(*assessment);
                }
            }
            JobResult::TokensListed(result) => {
                state.tokens = match result {
                    Ok(listing) => TokenPicker::Listed(listing),
                    Err(error) => TokenPicker::Failed(error),
                };
            }
            JobResult::SetupChecked { generation, result } => {
                if generation == self.setup_generation {
                    state.setup = match result {
                        Ok(check) => SetupState::Done(check),
                        Err(error) => SetupState::Failed(error),
                    };
                }
            }
            JobResult::Audited { generation, result } => {
                if generation == self.audit_generation {
                    state.audit = match result {
                        Ok(audit) => AuditState::Done(audit),
                        Err(error) => AuditState::Failed(error),
                    };
                }
            }
            JobResult::Tested { generation, result } => {
                if generation == self.test_generation {
                    state.test = match result {
                        Ok(test) => TestState::Done(test),
                        Err(error) => TestState::Failed(error),
                    };
                }
            }
            JobResult::Picked {
                purpose,
                path: Some(path),
            } => self.apply(match purpose {
                Pick::Identity => Command::Open(path),
                Pick::Ca => Command::AddCa(path),
                Pick::ServerCa => Command::SetServerCa(path),
                Pick::ExportReport => Command::ExportReport(path),
            }),
            JobResult::Picked { path: None, .. } => {}
            JobResult::Exported(result) => {
                state.status = Some(match result {
                    Ok(path) => format!("Report written to {}", path.display()),
                    Err(error) => error,
                });
            }
            JobResult::SettingsSaved(Ok(())) => {}
            JobResult::SettingsSaved(Err(error)) => state.status = Some(error),
            JobResult::Crashed { job, message } => {
                let sentence = format!(
                    "Certlens failed unexpectedly ({message}); what was loaded is kept. Please report this with the steps that led to it."
                );
                match job {
                    Job::Load => {
                        state.loading = None;
                        state.load_error = Some(sentence);
                    }
                    Job::Test => state.test = TestState::Failed(sentence),
                    Job::Audit => state.audit = AuditState::Failed(sentence),
                    Job::Cloudflare => state.setup = SetupState::Failed(sentence),
                    Job::Tokens => state.tokens = TokenPicker::Failed(sentence),
                    _ => state.status = Some(sentence),
                }
            }
        }
    }
}

impl eframe::App for CertlensApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        raw_input.max_texture_side = Some(
            raw_input
                .max_texture_side
                .map_or(super::MAX_FONT_ATLAS_SIDE, |side| {
                    side.min(super::MAX_FONT_ATLAS_SIDE)
                }),
        );
    }
}
