//! The desktop window: drop a certificate, see every field, verify, test the hostname.
//!
//! `state.rs` holds what the window shows (no egui types); panes (`panes/`) draw it and send
//! `Command`s; `app.rs` applies commands and background-job results (`jobs.rs`) once per
//! frame. The library computes everything, as for the command line.

mod app;
mod command;
mod hints;
mod jobs;
mod panes;
mod software;
mod state;
mod widgets;

pub use app::CertlensApp;
pub use command::{Command, Pick};
pub use software::{Canvas, Rasterizer, Renderer};
pub use state::{Startup, State, Tab, TestState};

/// The application's ID for the desktop (Wayland app_id, X11 class, desktop entry name).
const APP_ID: &str = "dev.certlens.Certlens";

/// Opens the window and runs until it is closed: drawn with OpenGL where the machine has a GPU
/// driver, on the CPU where OpenGL would be software anyway (see [`software::Renderer`]).
pub fn run(mut startup: Startup) -> Result<(), String> {
    if startup.settings_path.is_none() {
        startup.settings_path = crate::settings::Settings::default_path();
    }
    match software::Renderer::choose() {
        software::Renderer::Cpu => software::run(startup),
        software::Renderer::Gl => run_gl(startup),
    }
}

fn run_gl(startup: Startup) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Certlens")
            .with_app_id(APP_ID)
            .with_inner_size([1200.0, 800.0])
            .with_min_inner_size([760.0, 480.0])
            .with_drag_and_drop(true)
            .with_icon(icon()),
        // OpenGL: lighter than wgpu (about 40 MB less resident memory under Mesa) and
        // everywhere a desktop has a GPU driver.
        renderer: eframe::Renderer::Glow,
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        "Certlens",
        options,
        Box::new(move |cc| Ok(Box::new(CertlensApp::with_context(cc, startup)))),
    )
    .map_err(|e| format!("cannot open the window: {e}"))
}

/// The window icon: `assets/icons/certlens-64.png` as raw RGBA (no image decoder needed).
fn icon() -> egui::IconData {
    egui::IconData {
        rgba: include_bytes!("../../assets/icons/certlens-64.rgba").to_vec(),
        width: 64,
        height: 64,
    }
}
