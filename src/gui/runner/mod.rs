//! Opening the window and driving it: one description of the window, and two runners that
//! open it — eframe's OpenGL one where the machine has a GPU driver, and [`cpu`] where OpenGL
//! would be software anyway.

mod cpu;

use super::{CertlensApp, Startup};
pub use cpu::{Canvas, Rasterizer};

/// The application's ID for the desktop (Wayland app_id, X11 class, desktop entry name).
pub const APP_ID: &str = "dev.certlens.Certlens";

/// The window both runners open: title, application ID, sizes, icon, file drops.
pub fn description() -> egui::ViewportBuilder {
    egui::ViewportBuilder::default()
        .with_title("Certlens")
        .with_app_id(APP_ID)
        .with_inner_size([1200.0, 800.0])
        .with_min_inner_size([760.0, 480.0])
        .with_drag_and_drop(true)
        .with_icon(icon())
}

/// The window icon: `assets/icons/certlens-64.png` as raw RGBA (no image decoder needed).
fn icon() -> egui::IconData {
    egui::IconData {
        rgba: include_bytes!("../../../assets/icons/certlens-64.rgba").to_vec(),
        width: 64,
        height: 64,
    }
}

/// Which renderer draws the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Renderer {
    /// OpenGL through eframe (a GPU driver, or any GL when asked for).
    Gl,
    /// The CPU, through softbuffer.
    Cpu,
}

impl Renderer {
    /// `CERTLENS_RENDERER=gl|cpu` when set; otherwise the CPU when the machine has no GPU render
    /// node (`/dev/dri/renderD*`), where OpenGL would be Mesa's software rasterizer anyway.
    pub fn choose() -> Self {
        match std::env::var("CERTLENS_RENDERER").as_deref() {
            Ok("gl") => return Renderer::Gl,
            Ok("cpu") => return Renderer::Cpu,
            _ => {}
        }
        let has_render_node = std::fs::read_dir("/dev/dri").is_ok_and(|entries| {
            entries
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
        });
        if cfg!(target_os = "linux") && !has_render_node {
            Renderer::Cpu
        } else {
            Renderer::Gl
        }
    }
}

/// Opens the window with the renderer [`Renderer::choose`] picks and runs until it is closed.
pub fn run(startup: Startup) -> Result<(), String> {
    match Renderer::choose() {
        Renderer::Cpu => cpu::run(startup),
        Renderer::Gl => run_gl(startup),
    }
}

fn run_gl(startup: Startup) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: description(),
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
