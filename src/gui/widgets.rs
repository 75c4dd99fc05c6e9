//! Small pieces the panes share: colours for verdicts, a copy button, a value label.

use egui::{Color32, RichText, Ui};

use crate::report::ValidityState;

use super::command::{Command, Commands, Pick};

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

/// A small "Copy" button that asks for `text` on the clipboard.
pub fn copy_button(ui: &mut Ui, commands: &Commands, text: &str, what: &str) {
    if ui
        .small_button("Copy")
        .on_hover_text(format!("Copy {what}"))
        .clicked()
    {
        commands.send(Command::Copy(text.to_owned()));
    }
}

/// The colour of a validity badge.
pub fn validity(ui: &Ui, state: ValidityState) -> Color32 {
    match state {
        ValidityState::Valid => good(ui),
        ValidityState::ExpiresSoon | ValidityState::NotYetValid => warn(ui),
        ValidityState::Expired => bad(ui),
        ValidityState::Unknown => ui.visuals().text_color(),
    }
}

/// A value in a column `width` points wide (grid cells otherwise shrink to the narrowest).
pub fn value_in(ui: &mut Ui, text: &str, width: f32) {
    ui.vertical(|ui| {
        ui.set_width(width.max(120.0));
        value(ui, text);
    });
}

/// "Export report…": asks where to write a report (enabled once something is assessed).
pub fn export_button(ui: &mut Ui, enabled: bool, commands: &Commands) {
    if ui
        .add_enabled(enabled, egui::Button::new("Export report…"))
        .clicked()
    {
        commands.send(Command::Pick(Pick::ExportReport));
    }
}
