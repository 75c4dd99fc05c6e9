//! Background work: each job runs on a named thread (inside the panic boundary) and reports
//! through a channel that the app drains once per frame, asking egui for a repaint.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

use crate::certificate::Certificate;
use crate::identity::{LoadError, LoadedFile};
use crate::probe::LiveTest;

use super::command::Pick;
use super::state::Assessment;

/// The kinds of background work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Opening an identity file.
    Load,
    /// Reading a CA file.
    Ca,
    /// Reading the server's CA file.
    ServerCa,
    /// Verifying and computing the fields.
    Assess,
    /// The live test.
    Test,
    /// The audit.
    Audit,
    /// The Cloudflare setup check.
    Cloudflare,
    /// Listing the PKCS#11 tokens.
    Tokens,
    /// A file dialog.
    Dialog,
    /// Rendering and writing a report.
    Export,
    /// Writing the settings.
    Settings,
}

impl Job {
    fn name(self) -> &'static str {
        match self {
            Job::Load => "load",
            Job::Ca => "ca",
            Job::ServerCa => "server-ca",
            Job::Assess => "assess",
            Job::Test => "test",
            Job::Audit => "audit",
            Job::Cloudflare => "cloudflare",
            Job::Tokens => "tokens",
            Job::Dialog => "dialog",
            Job::Export => "export",
            Job::Settings => "settings",
        }
    }
}

/// What a background job reports.
pub enum JobResult {
    /// An identity file was read (or not).
    Loaded {
        /// Which load it was (an older one's result is ignored).
        generation: u64,
        /// The file.
        path: PathBuf,
        /// What it held.
        result: Result<LoadedFile, LoadError>,
        /// True when a password was given.
        with_password: bool,
    },
    /// A CA file was read.
    CaLoaded {
        /// The file.
        path: PathBuf,
        /// Its certificates.
        result: Result<Vec<Certificate>, String>,
    },
    /// The server's CA file was read.
    ServerCaLoaded {
        /// The file.
        path: PathBuf,
        /// Its certificates.
        result: Result<Vec<Certificate>, String>,
    },
    /// The identity was assessed.
    Assessed {
        /// Which assessment it was.
        generation: u64,
        /// What it found.
        assessment: Box<Assessment>,
    },
    /// The live test ended.
    Tested {
        /// Which test it was.
        generation: u64,
        /// Its outcome.
        result: Result<Box<LiveTest>, String>,
    },
    /// The tokens were listed.
    TokensListed(Result<Vec<crate::identity::token::ModuleListing>, String>),
    /// The Cloudflare setup check ended.
    SetupChecked {
        /// Which check it was.
        generation: u64,
        /// The findings, or why the check could not be made.
        result: Result<Box<crate::edge_setup::cloudflare::SetupCheck>, String>,
    },
    /// The audit ended.
    Audited {
        /// Which audit it was.
        generation: u64,
        /// Its outcome.
        result: Result<Box<crate::audit::Audit>, String>,
    },
    /// A file dialog closed.
    Picked {
        /// What it was for.
        purpose: Pick,
        /// The file chosen, if any.
        path: Option<PathBuf>,
    },
    /// A report was written (or not).
    Exported(Result<PathBuf, String>),
    /// The settings were written (or not).
    SettingsSaved(Result<(), String>),
    /// A job ended in a panic (a bug): reported instead of leaving the window waiting forever.
    Crashed {
        /// Which job.
        job: Job,
        /// The panic's message.
        message: String,
    },
}

/// The channel jobs report through.
pub struct Jobs {
    sender: Sender<JobResult>,
    receiver: Receiver<JobResult>,
    /// Asked for a repaint when a job ends (none in headless tests, which step themselves).
    pub context: Option<egui::Context>,
}

impl Jobs {
    /// A channel with no job running.
    pub fn new() -> Self {
        let (sender, receiver) = channel();
        Self {
            sender,
            receiver,
            context: None,
        }
    }

    /// Runs `job` on a named background thread; its result arrives through the channel.
    pub fn spawn(&self, kind: Job, job: impl FnOnce() -> JobResult + Send + 'static) {
        let sender = self.sender.clone();
        let context = self.context.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("certlens-{}", kind.name()))
            .spawn(move || {
                let result = crate::contain::contain(job)
                    .unwrap_or_else(|message| JobResult::Crashed { job: kind, message });
                // The window may have closed; then nobody waits for the result.
                let _ = sender.send(result);
                if let Some(context) = context {
                    context.request_repaint();
                }
            });
        if let Err(error) = spawned {
            let _ = self.sender.send(JobResult::Crashed {
                job: kind,
                message: format!("cannot start a background task: {error}"),
            });
        }
    }

    /// Every result that has arrived.
    pub fn finished(&self) -> Vec<JobResult> {
        self.receiver.try_iter().collect()
    }
}
