//! The top bar: open, export, the edge profile, and the last status message.

use egui::Ui;

use crate::fields::Profile;
use crate::gui::command::{Command, Commands, Pick};
use crate::gui::state::State;
use crate::gui::widgets;

pub fn ui(ui: &mut Ui, state: &State, commands: &Commands) {
    ui.horizontal(|ui| {
        if ui
            .button("Open…")
            .on_hover_text("Open a .p12, .pfx, PEM or DER file (Ctrl+O); or drop it on the window")
            .clicked()
        {
            commands.send(Command::Pick(Pick::Identity));
        }
        widgets::export_button(ui, state.assessment.is_some(), commands);
        ui.separator();
        ui.label("Edge profile:");
        egui::ComboBox::from_id_salt("profile")
            .selected_text(state.profile.title())
            .height(400.0)
            .show_ui(ui, |ui| {
                for profile in Profile::ALL {
                    if ui
                        .selectable_label(state.profile == profile, profile.title())
                        .on_hover_text(format!(
                            "{} profile: checked with {}'s rules",
                            profile.name(),
                            profile.library().name()
                        ))
                        .clicked()
                    {
                        commands.send(Command::SetProfile(profile));
                    }
                }
            })
            .response
            .on_hover_text("Whose headers and spellings the window shows");
        if let Some(status) = &state.status {
            ui.separator();
            ui.label(status);
        }
    });
}
