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
mod runner;
mod state;
mod widgets;

pub use app::CertlensApp;
pub use command::{Command, Pick};
pub use runner::{Canvas, Rasterizer, Renderer};
pub use state::{Startup, State, Tab, TestState};

/// The widest font atlas the window asks for. egui makes its glyph atlas as wide as the
/// largest texture the GPU allows (16,384 px under Mesa's llvmpipe), 4 bytes a pixel and kept
/// both in memory and in the GL driver; Certlens's glyphs fit a 2,048 px wide atlas.
const MAX_FONT_ATLAS_SIDE: usize = 2048;

/// Opens the window and runs until it is closed: drawn with OpenGL where the machine has a GPU
/// driver, on the CPU where OpenGL would be software anyway (see [`Renderer`]).
pub fn run(mut startup: Startup) -> Result<(), String> {
    if startup.settings_path.is_none() {
        startup.settings_path = crate::settings::Settings::default_path();
    }
    runner::run(startup)
}
