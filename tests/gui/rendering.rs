//! The CPU-drawn window against the GPU path: the same panes, drawn once by
//! `certlens::gui::Rasterizer` and once by egui's wgpu renderer (the renderer the OpenGL path's
//! egui_glow mirrors), must differ only in anti-aliased edges.

use certlens::gui::{Canvas, CertlensApp, Command, Rasterizer, Startup, Tab};
use egui_kittest::{Harness, TestRenderer};
use image::RgbaImage;

use super::{samples, wait_for};

/// egui_kittest's renderer interface over the CPU rasterizer.
#[derive(Default)]
struct CpuRenderer {
    rasterizer: Rasterizer,
}

impl TestRenderer for CpuRenderer {
    fn handle_delta(&mut self, delta: &mut egui::TexturesDelta) {
        self.rasterizer.set_textures(delta);
        self.rasterizer.free_textures(delta);
    }

    fn render(
        &mut self,
        ctx: &egui::Context,
        output: &egui::FullOutput,
    ) -> Result<RgbaImage, String> {
        let pixels_per_point = ctx.pixels_per_point();
        let size = ctx.content_rect().size() * pixels_per_point;
        let (width, height) = (size.x.round() as usize, size.y.round() as usize);
        let primitives = ctx.tessellate(output.shapes.clone(), pixels_per_point);
        let mut pixels = vec![0u32; width * height];
        self.rasterizer.paint(
            &mut Canvas {
                pixels: &mut pixels,
                width,
                height,
            },
            ctx.global_style().visuals.panel_fill,
            &primitives,
            pixels_per_point,
        );
        let rgba = pixels
            .iter()
            .flat_map(|pixel| {
                let [_, red, green, blue] = pixel.to_be_bytes();
                [red, green, blue, 255]
            })
            .collect();
        RgbaImage::from_raw(width as u32, height as u32, rgba).ok_or("wrong size".to_owned())
    }
}

/// A window on the bundled sample and its CA, drawn by `renderer`.
fn window(renderer: impl TestRenderer + 'static) -> Harness<'static, CertlensApp> {
    let mut harness = Harness::builder()
        .with_size([1200.0, 800.0])
        .renderer(renderer)
        .build_ui_state(
            |ui, app: &mut CertlensApp| app.frame(ui),
            CertlensApp::new(Startup {
                file: Some(samples().join("alice.pem")),
                cas: vec![samples().join("sample-ca.pem")],
                ..Startup::default()
            }),
        );
    wait_for(&mut harness, "936EACBE07F201DF");
    harness
}

/// The GPU frame as a window shows it: egui leaves what no panel covers transparent, and
/// eframe clears the window to the panel colour first (premultiplied alpha, as egui draws).
fn over_background(gpu: &mut RgbaImage, background: [u8; 3]) {
    for pixel in gpu.pixels_mut() {
        let uncovered = 255 - u16::from(pixel[3]);
        for i in 0..3 {
            let shown = u16::from(pixel[i]) + u16::from(background[i]) * uncovered / 255;
            pixel[i] = shown.min(255) as u8;
        }
        pixel[3] = 255;
    }
}

/// How far apart two frames are: the share of pixels whose colour differs by more than
/// `tolerance` in any channel, and the largest difference.
fn difference(cpu: &RgbaImage, gpu: &RgbaImage, tolerance: u8) -> (f64, u8) {
    assert_eq!(cpu.dimensions(), gpu.dimensions());
    let mut differing = 0usize;
    let mut largest = 0u8;
    for (a, b) in cpu.pixels().zip(gpu.pixels()) {
        let channel = (0..3).map(|i| a[i].abs_diff(b[i])).max().unwrap_or(0);
        largest = largest.max(channel);
        if channel > tolerance {
            differing += 1;
        }
    }
    (
        differing as f64 / (cpu.width() * cpu.height()) as f64,
        largest,
    )
}

/// A channel difference this small is rounding (the two blend in different orders).
const TOLERANCE: u8 = 2;
/// No pixel may differ more: a missing shape, a wrong colour or a shifted glyph does.
const LARGEST: u8 = 16;

#[test]
fn the_cpu_window_draws_what_the_gpu_draws() {
    let mut cpu = window(CpuRenderer::default());
    let mut gpu = window(egui_kittest::wgpu::WgpuTestRenderer::new());
    let out = std::env::temp_dir().join("certlens-rendering");
    std::fs::create_dir_all(&out).unwrap();
    for (tab, name) in [
        (Tab::Fields, "fields"),
        (Tab::Verify, "verify"),
        (Tab::Edges, "edges"),
        (Tab::Details, "details"),
    ] {
        for harness in [&mut cpu, &mut gpu] {
            harness.state_mut().command(Command::ShowTab(tab));
            harness.run_steps(3);
        }
        let cpu_image = cpu.render().unwrap();
        let mut gpu_image = gpu
            .render()
            .unwrap_or_else(|error| panic!("the wgpu renderer could not draw: {error}"));
        let panel = gpu.ctx.global_style().visuals.panel_fill;
        over_background(&mut gpu_image, [panel.r(), panel.g(), panel.b()]);
        let (share, largest) = difference(&cpu_image, &gpu_image, TOLERANCE);
        eprintln!(
            "{name}: {:.3}% of pixels differ by more than {TOLERANCE}, largest difference {largest}",
            share * 100.0
        );
        if share >= 0.001 || largest > LARGEST {
            cpu_image.save(out.join(format!("{name}-cpu.png"))).unwrap();
            gpu_image.save(out.join(format!("{name}-gpu.png"))).unwrap();
        }
        assert!(
            share < 0.001 && largest <= LARGEST,
            "{name}: {:.2}% of pixels differ by more than {TOLERANCE} (largest {largest}); both frames are in {}",
            share * 100.0,
            out.display()
        );
        // Something was drawn: the frames are not both blank.
        let background = cpu_image.get_pixel(0, cpu_image.height() - 1);
        assert!(cpu_image.pixels().filter(|p| *p != background).count() > 10_000);
    }
}

/// The window pins no theme: the desktop's light or dark preference, which both runners hand
/// egui (eframe, and the CPU runner through egui-winit), decides, also when it changes.
#[test]
fn the_window_follows_the_system_theme() {
    let mut harness = super::harness(Startup::default());
    // The harness pins dark for its snapshots; a window leaves it to the system.
    harness.ctx.set_theme(egui::ThemePreference::System);
    for (theme, dark) in [(egui::Theme::Light, false), (egui::Theme::Dark, true)] {
        harness.input_mut().system_theme = Some(theme);
        harness.run_steps(2);
        assert_eq!(
            harness.ctx.global_style().visuals.dark_mode,
            dark,
            "{theme:?}"
        );
    }
}
