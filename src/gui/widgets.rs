//! Small pieces the panes share: colours for verdicts, a copy button, a value label.

use egui::{Color32, RichText, Ui};

/// Green, red, orange and grey that read in light and dark themes.
pub fn good(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(80, 200, 120)
    } else {
        Color32::from_rgb(20, 130, 60)
    }
}

/// The colour of failure.
pub fn bad(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(255, 110, 100)
    } else {
        Color32::from_rgb(190, 30, 30)
    }
}

/// The colour of a warning.
pub fn warn(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(240, 180, 80)
    } else {
        Color32::from_rgb(170, 100, 0)
    }
}

/// A value in monospace, selectable, never wrapped mid-word unless it has to be.
pub fn value(ui: &mut Ui, text: &str) {
    ui.add(
        egui::Label::new(RichText::new(text).monospace())
            .selectable(true)
            .wrap(),
    );
}

/// A small "Copy" button that puts `text` on the clipboard.
pub fn copy_button(ui: &mut Ui, text: &str, what: &str) {
    if ui
        .small_button("Copy")
        .on_hover_text(format!("Copy {what}"))
        .clicked()
    {
        ui.ctx().copy_text(text.to_owned());
    }
}

/// A value in a column `width` points wide (grid cells otherwise shrink to the narrowest).
pub fn value_in(ui: &mut Ui, text: &str, width: f32) {
    ui.vertical(|ui| {
        ui.set_width(width.max(120.0));
        value(ui, text);
    });
}
