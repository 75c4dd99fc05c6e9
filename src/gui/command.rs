//! What panes ask for. A pane never changes the state: it sends a command, and the app applies
//! every command of a frame in one place, after the panes have drawn.

use std::cell::RefCell;
use std::path::PathBuf;

use zeroize::Zeroizing;

use crate::fields::Profile;

use super::state::{CloudflareForm, NetworkForm, Tab};

/// What a file dialog is opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// An identity to open.
    Identity,
    /// A CA file the edge trusts.
    Ca,
    /// A CA for the server's own certificate.
    ServerCa,
    /// Where to write a report.
    ExportReport,
}

/// One thing a pane (or a shortcut, or a dropped file) asks for.
pub enum Command {
    /// Open an identity file (in the background; a password card if it needs one).
    Open(PathBuf),
    /// Open a native file dialog.
    Pick(Pick),
    /// The unlock card's password, as typed so far.
    TypePassword(Zeroizing<String>),
    /// The unlock card's keystore key password, as typed so far.
    TypeKeyPassword(Zeroizing<String>),
    /// Try the password typed.
    SubmitPassword,
    /// Open the token identity on the unlock card without its key (no PIN is used).
    OpenWithoutKey,
    /// List the PKCS#11 tokens and their certificates (in the background).
    ListTokens,
    /// Close the token list.
    CloseTokens,
    /// Close the unlock card.
    DismissUnlock,
    /// The unlock card's field has taken the keyboard focus.
    FocusTaken,
    /// Stop the load under way.
    CancelLoad,
    /// Trust a CA file (loaded in the background).
    AddCa(PathBuf),
    /// Stop trusting the CA file at this index.
    RemoveCa(usize),
    /// Trust this CA for the server's own certificate.
    SetServerCa(PathBuf),
    /// Follow this edge's rules.
    SetProfile(Profile),
    /// Show the file's identity at this index.
    SelectIdentity(usize),
    /// Show this tab.
    ShowTab(Tab),
    /// The URL to test.
    SetUrl(String),
    /// The extra request headers.
    SetHeaders(String),
    /// Skip (or not) the server certificate check.
    SetInsecure(bool),
    /// Proxy, addresses, HTTP version, redirects.
    SetNetwork(NetworkForm),
    /// Send the live test.
    StartTest,
    /// Abandon the live test.
    CancelTest,
    /// Send the audit's probes.
    StartAudit,
    /// The URL the audit's resumption probe makes its session on.
    SetResumeFrom(String),
    /// The Cloudflare setup check's token, base, path and Worker choice.
    SetCloudflare(CloudflareForm),
    /// Read the hostname's Cloudflare setup.
    CheckCloudflare,
    /// Write a report (format from the extension) in the background.
    ExportReport(PathBuf),
    /// Put text on the clipboard.
    Copy(String),
    /// Put the live test's curl command on the clipboard.
    CopyCurl,
}

/// The commands sent during one frame. Panes hold it shared (`&Commands`).
#[derive(Default)]
pub struct Commands(RefCell<Vec<Command>>);

impl Commands {
    /// Asks for `command`; it is applied after the frame's panes have drawn.
    pub fn send(&self, command: Command) {
        self.0.borrow_mut().push(command);
    }

    /// Every command sent since the last call, in order.
    pub fn take(&self) -> Vec<Command> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}
