//! The window, driven headless with egui_kittest (AccessKit queries, no display): opening
//! files, the panes, the live test, secrets, and the CPU-drawn frame against the GPU's. This
//! file holds what the subjects share: the harness, waiting for background work, dropped
//! files, certificates made with openssl.

mod cloudflare;
mod keystores;
mod live;
mod loading;
mod panes;
mod rendering;
mod secrets;
mod tokens;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use certlens::echo_server::{EchoServer, EchoSettings};
use certlens::fields::Profile;
use certlens::gui::{CertlensApp, Startup};
use certlens::probe::HttpVersion;
use certlens_test_support::{openssl, self_signed};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;

pub(crate) fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples")
}

pub(crate) fn harness(startup: Startup) -> Harness<'static, CertlensApp> {
    Harness::builder()
        .with_size([1300.0, 900.0])
        .build_ui_state(
            |ui, app: &mut CertlensApp| app.frame(ui),
            CertlensApp::new(startup),
        )
}

/// Picks `target` in the edge-profile menu, which shows `current`.
fn choose_profile(harness: &mut Harness<'static, CertlensApp>, current: &str, target: &str) {
    harness
        .get_all_by_role(egui::accesskit::Role::ComboBox)
        .find(|menu| menu.value().as_deref() == Some(current))
        .unwrap_or_else(|| panic!("no menu shows {current}"))
        .click();
    harness.run_steps(2);
    harness.get_all_by_label(target).last().unwrap().click();
    harness.run_steps(2);
}

/// Steps the window until `label` is on screen (background work lands between frames).
pub(crate) fn wait_for(harness: &mut Harness<'static, CertlensApp>, label: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        harness.step();
        if harness.query_all_by_label_contains(label).next().is_some() {
            return;
        }
        assert!(Instant::now() < deadline, "'{label}' never appeared");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The echo server trusting the sample CA and offering `protocols`, with its own CA written
/// to `server-ca.pem` in the folder returned.
fn echo_server(protocols: HttpVersion) -> (EchoServer, tempfile::TempDir) {
    let cas = certlens::identity::load_file(&samples().join("sample-ca.pem"), None)
        .unwrap()
        .certificates;
    let server = EchoServer::start(EchoSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        client_cas: cas,
        server_identity: None,
        profile: Profile::Cloudflare,
        protocols,
    })
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("server-ca.pem"),
        server.server_ca_pem().unwrap(),
    )
    .unwrap();
    (server, dir)
}

/// A file dropped on the window, as the platform hands it to egui.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

fn drop_file(harness: &mut Harness<'static, CertlensApp>, path: PathBuf) {
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(path)));
    harness.step();
}

/// A self-signed P-256 CA named `subject`, as `name.pem` with its key in `name.key`.
fn make_ca(dir: &Path, name: &str, subject: &str) {
    let (key, cert) = (format!("{name}.key"), format!("{name}.pem"));
    self_signed(
        dir,
        &key,
        &cert,
        subject,
        &[
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=critical,keyCertSign",
        ],
    );
}
