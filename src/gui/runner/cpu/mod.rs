//! The window drawn on the CPU, for machines whose only OpenGL is Mesa's software one: there
//! the GL path loads llvmpipe and libLLVM (about 60 MiB resident) to draw a few thousand
//! triangles. winit gives the window and its events, egui-winit turns them into egui input,
//! [`raster`] draws egui's triangles as `egui_glow` does, softbuffer puts the pixels on screen.

mod raster;

use std::num::NonZeroU32;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use winit::application::ApplicationHandler;
use winit::event::WindowEvent;
use winit::event_loop::{ActiveEventLoop, ControlFlow, EventLoop, EventLoopProxy};
use winit::window::{Window, WindowId};

use super::{CertlensApp, Startup};
pub use raster::{Canvas, Rasterizer};

/// What reaches the event loop from elsewhere.
#[derive(Debug)]
enum UserEvent {
    /// Draw again after this long (egui's repaint callback, from any thread).
    Repaint(Duration),
    /// A screen reader asked for the tree or for an action (AccessKit).
    AccessKit(egui_winit::accesskit_winit::Event),
}

impl From<egui_winit::accesskit_winit::Event> for UserEvent {
    fn from(event: egui_winit::accesskit_winit::Event) -> Self {
        UserEvent::AccessKit(event)
    }
}

/// The running window.
struct Runner {
    app: CertlensApp,
    context: egui::Context,
    proxy: EventLoopProxy<UserEvent>,
    /// Whether the window has been shown (it opens hidden until its first frame is drawn).
    shown: bool,
    window: Option<Rc<Window>>,
    input: Option<egui_winit::State>,
    surface: Option<softbuffer::Surface<Rc<Window>, Rc<Window>>>,
    rasterizer: Rasterizer,
    viewport: egui::ViewportInfo,
    next_repaint: Option<Instant>,
    failure: Option<String>,
}

/// Opens the window drawn on the CPU and runs until it is closed.
pub fn run(startup: Startup) -> Result<(), String> {
    let event_loop = EventLoop::<UserEvent>::with_user_event()
        .build()
        .map_err(|e| format!("cannot open the window: {e}"))?;
    let context = egui::Context::default();
    let proxy = event_loop.create_proxy();
    let repaint_proxy = proxy.clone();
    context.set_request_repaint_callback(move |info| {
        let _ = repaint_proxy.send_event(UserEvent::Repaint(info.delay));
    });
    let app = CertlensApp::with_egui_context(&context, startup);
    let mut runner = Runner {
        app,
        context,
        proxy,
        shown: false,
        window: None,
        input: None,
        surface: None,
        rasterizer: Rasterizer::default(),
        viewport: egui::ViewportInfo::default(),
        next_repaint: Some(Instant::now()),
        failure: None,
    };
    event_loop
        .run_app(&mut runner)
        .map_err(|e| format!("the window stopped: {e}"))?;
    match runner.failure {
        Some(failure) => Err(failure),
        None => Ok(()),
    }
}

impl Runner {
    fn open(&mut self, event_loop: &ActiveEventLoop) -> Result<(), String> {
        // The one description both runners open, hidden until the first frame is drawn (no
        // blank flash, and AccessKit attaches before the window appears).
        let description = super::description().with_visible(false);
        #[allow(unused_mut)]
        let mut attributes =
            egui_winit::create_winit_window_attributes(&self.context, description.clone());
        #[cfg(target_os = "linux")]
        {
            // X11's WM_CLASS, which eframe leaves to the toolkit default.
            attributes = winit::platform::x11::WindowAttributesExtX11::with_name(
                attributes,
                super::APP_ID,
                super::APP_ID,
            );
        }
        let window = Rc::new(
            event_loop
                .create_window(attributes)
                .map_err(|e| format!("cannot open the window: {e}"))?,
        );
        egui_winit::apply_viewport_builder_to_window(&self.context, &window, &description);
        let display = softbuffer::Context::new(window.clone())
            .map_err(|e| format!("cannot draw on this display: {e}"))?;
        let surface = softbuffer::Surface::new(&display, window.clone())
            .map_err(|e| format!("cannot draw on this window: {e}"))?;
        let mut input = egui_winit::State::new(
            self.context.clone(),
            egui::ViewportId::ROOT,
            event_loop,
            Some(window.scale_factor() as f32),
            // The desktop's light or dark preference, as eframe passes it.
            window.theme().or_else(|| event_loop.system_theme()),
            Some(crate::gui::MAX_FONT_ATLAS_SIDE),
        );
        input.init_accesskit(event_loop, &window, self.proxy.clone());
        self.input = Some(input);
        self.surface = Some(surface);
        window.request_redraw();
        self.window = Some(window);
        Ok(())
    }

    /// One frame: input to egui, the app's panes, the triangles onto the window.
    fn paint(&mut self, event_loop: &ActiveEventLoop) -> Result<(), String> {
        let (Some(window), Some(input), Some(surface)) =
            (&self.window, &mut self.input, &mut self.surface)
        else {
            return Ok(());
        };
        let size = window.inner_size();
        let (Some(width), Some(height)) =
            (NonZeroU32::new(size.width), NonZeroU32::new(size.height))
        else {
            return Ok(());
        };
        egui_winit::update_viewport_info(&mut self.viewport, &self.context, window, false);
        let mut raw_input = input.take_egui_input(window);
        raw_input
            .viewports
            .insert(egui::ViewportId::ROOT, self.viewport.clone());
        let app = &mut self.app;
        let output = self.context.run_ui(raw_input, |ui| app.frame(ui));
        input.handle_platform_output(window, output.platform_output);
        let mut repaint_after = None;
        let mut actions = Vec::new();
        for (id, viewport) in output.viewport_output {
            if id != egui::ViewportId::ROOT {
                continue;
            }
            egui_winit::process_viewport_commands(
                &self.context,
                &mut self.viewport,
                viewport.commands,
                window,
                &mut actions,
            );
            repaint_after = Some(viewport.repaint_delay);
        }
        if self.viewport.close_requested() {
            event_loop.exit();
        }
        let mut screenshots = Vec::new();
        for action in actions {
            match action {
                egui_winit::ActionRequested::Screenshot(callback) => screenshots.push(callback),
                egui_winit::ActionRequested::Cut => {
                    input.egui_input_mut().events.push(egui::Event::Cut)
                }
                egui_winit::ActionRequested::Copy => {
                    input.egui_input_mut().events.push(egui::Event::Copy);
                }
                egui_winit::ActionRequested::Paste => {
                    if let Some(text) = input.clipboard_text() {
                        let text = text.replace("\r\n", "\n");
                        if !text.is_empty() {
                            input.egui_input_mut().events.push(egui::Event::Paste(text));
                        }
                    }
                }
                // This frame is painted whether or not the window shows.
                egui_winit::ActionRequested::PaintWhileHidden => {}
            }
            // What was queued reaches the app in the next frame.
            repaint_after = Some(Duration::ZERO);
        }
        let mut textures = output.textures_delta;
        self.rasterizer.set_textures(&mut textures);
        let primitives = self
            .context
            .tessellate(output.shapes, output.pixels_per_point);
        let background = self.context.global_style().visuals.panel_fill;
        let rasterizer = &self.rasterizer;
        let drawn = (|| -> Result<(), softbuffer::SoftBufferError> {
            surface.resize(width, height)?;
            let mut buffer = surface.buffer_mut()?;
            rasterizer.paint(
                &mut Canvas {
                    pixels: &mut buffer,
                    width: width.get() as usize,
                    height: height.get() as usize,
                },
                background,
                &primitives,
                output.pixels_per_point,
            );
            if !screenshots.is_empty() {
                let image = Arc::new(screenshot(&buffer, width.get(), height.get()));
                for callback in screenshots.drain(..) {
                    callback.complete(Arc::clone(&image));
                }
            }
            window.pre_present_notify();
            buffer.present()
        })();
        self.rasterizer.free_textures(&mut textures);
        drawn.map_err(|e| format!("cannot draw on this window: {e}"))?;
        if !self.shown {
            // Shown once there is something to show; mapping it asks for the frame again.
            window.set_visible(true);
            self.shown = true;
        }
        if let Some(after) = repaint_after {
            self.schedule(after);
        }
        Ok(())
    }

    fn schedule(&mut self, after: Duration) {
        if after == Duration::MAX {
            return;
        }
        let when = Instant::now() + after;
        self.next_repaint = Some(self.next_repaint.map_or(when, |t| t.min(when)));
    }

    fn fail(&mut self, event_loop: &ActiveEventLoop, failure: String) {
        self.failure = Some(failure);
        event_loop.exit();
    }
}

impl ApplicationHandler<UserEvent> for Runner {
    fn resumed(&mut self, event_loop: &ActiveEventLoop) {
        if self.window.is_none()
            && let Err(failure) = self.open(event_loop)
        {
            self.fail(event_loop, failure);
        }
    }

    fn window_event(&mut self, event_loop: &ActiveEventLoop, _id: WindowId, event: WindowEvent) {
        let Some(window) = self.window.clone() else {
            return;
        };
        match &event {
            WindowEvent::RedrawRequested => {
                self.next_repaint = None;
                if let Err(failure) = self.paint(event_loop) {
                    self.fail(event_loop, failure);
                }
                return;
            }
            WindowEvent::CloseRequested => {
                event_loop.exit();
                return;
            }
            _ => {}
        }
        if let Some(input) = &mut self.input {
            let response = input.on_window_event(&window, &event);
            if response.repaint {
                window.request_redraw();
            }
        }
    }

    fn user_event(&mut self, _event_loop: &ActiveEventLoop, event: UserEvent) {
        use egui_winit::accesskit_winit::WindowEvent as AccessKit;
        match event {
            UserEvent::Repaint(after) => self.schedule(after),
            UserEvent::AccessKit(event) => {
                let Some(input) = &mut self.input else {
                    return;
                };
                match event.window_event {
                    AccessKit::InitialTreeRequested => {
                        self.context.enable_accesskit();
                        self.schedule(Duration::ZERO);
                    }
                    AccessKit::ActionRequested(request) => {
                        input.on_accesskit_action_request(request);
                        self.schedule(Duration::ZERO);
                    }
                    AccessKit::AccessibilityDeactivated => self.context.disable_accesskit(),
                }
            }
        }
    }

    fn about_to_wait(&mut self, event_loop: &ActiveEventLoop) {
        match self.next_repaint {
            Some(when) if when <= Instant::now() => {
                if let Some(window) = &self.window {
                    window.request_redraw();
                }
                event_loop.set_control_flow(ControlFlow::Wait);
            }
            Some(when) => event_loop.set_control_flow(ControlFlow::WaitUntil(when)),
            None => event_loop.set_control_flow(ControlFlow::Wait),
        }
    }
}

/// What the window shows, as egui's screenshot (`0RGB` pixels to RGBA).
fn screenshot(pixels: &[u32], width: u32, height: u32) -> egui::ColorImage {
    let rgba: Vec<u8> = pixels
        .iter()
        .flat_map(|pixel| {
            let [_, red, green, blue] = pixel.to_be_bytes();
            [red, green, blue, 255]
        })
        .collect();
    egui::ColorImage::from_rgba_unmultiplied([width as usize, height as usize], &rgba)
}
