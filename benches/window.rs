//! The CPU-drawn window's frame cost: the real panes (the bundled sample loaded, each tab) laid
//! out by egui and drawn by `certlens::gui::Rasterizer` into a 1200 × 800 frame, as on a machine
//! without a GPU driver. Prints the median of 30 frames per tab: egui's pass, tessellation, and
//! the drawing.
//!
//!   cargo bench --bench window

use std::time::{Duration, Instant};

use certlens::gui::{Canvas, CertlensApp, Command, Rasterizer, Startup, Tab};

const WIDTH: usize = 1200;
const HEIGHT: usize = 800;

fn input() -> egui::RawInput {
    egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(WIDTH as f32, HEIGHT as f32),
        )),
        max_texture_side: Some(2048),
        ..egui::RawInput::default()
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples/alice.pem");
    let context = egui::Context::default();
    let mut app = CertlensApp::with_egui_context(
        &context,
        Startup {
            file: Some(sample.into()),
            cas: vec![concat!(env!("CARGO_MANIFEST_DIR"), "/assets/samples/sample-ca.pem").into()],
            ..Startup::default()
        },
    );
    let mut rasterizer = Rasterizer::default();
    let mut pixels = vec![0u32; WIDTH * HEIGHT];
    let mut frame = |app: &mut CertlensApp| -> [Duration; 3] {
        let start = Instant::now();
        let output = context.run_ui(input(), |ui| app.frame(ui));
        let ran = start.elapsed();
        let mut textures = output.textures_delta;
        rasterizer.set_textures(&mut textures);
        let start = Instant::now();
        let primitives = context.tessellate(output.shapes, output.pixels_per_point);
        let tessellated = start.elapsed();
        let start = Instant::now();
        rasterizer.paint(
            &mut Canvas {
                pixels: &mut pixels,
                width: WIDTH,
                height: HEIGHT,
            },
            egui::Color32::from_gray(27),
            &primitives,
            output.pixels_per_point,
        );
        let drawn = start.elapsed();
        rasterizer.free_textures(&mut textures);
        [ran, tessellated, drawn]
    };
    // Let the background load and assessment land.
    let deadline = Instant::now() + Duration::from_secs(20);
    while app.state().assessment.is_none() && Instant::now() < deadline {
        frame(&mut app);
        std::thread::sleep(Duration::from_millis(10));
    }
    println!("CPU-drawn window, {WIDTH} x {HEIGHT}, median of 30 frames:");
    println!(
        "  {:<12} {:>9} {:>12} {:>9} {:>9}",
        "tab", "egui pass", "tessellation", "drawing", "total"
    );
    for (tab, name) in [
        (Tab::Fields, "Fields"),
        (Tab::Verify, "Verify"),
        (Tab::Test, "Live test"),
        (Tab::Edges, "Every edge"),
        (Tab::Details, "Details"),
    ] {
        app.command(Command::ShowTab(tab));
        for _ in 0..3 {
            frame(&mut app);
        }
        let samples: Vec<[Duration; 3]> = (0..30).map(|_| frame(&mut app)).collect();
        let part = |i: usize| median(samples.iter().map(|s| s[i]).collect());
        let total = median(samples.iter().map(|s| s[0] + s[1] + s[2]).collect());
        let ms = |d: Duration| format!("{:.2} ms", d.as_secs_f64() * 1000.0);
        println!(
            "  {name:<12} {:>9} {:>12} {:>9} {:>9}",
            ms(part(0)),
            ms(part(1)),
            ms(part(2)),
            ms(total)
        );
    }
}
