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
        for (profile, label, hover) in [
            (
                Profile::Cloudflare,
                "Cloudflare",
                "BoringSSL's formatting and verdict words, as Cloudflare's edge shows them",
            ),
            (
                Profile::Nginx,
                "nginx",
                "OpenSSL 3's formatting and verdict words, as nginx's $ssl_client_* variables show them",
            ),
        ] {
            if ui
                .radio(state.profile == profile, label)
                .on_hover_text(hover)
                .clicked()
            {
                commands.send(Command::SetProfile(profile));
            }
        }
        if let Some(status) = &state.status {
            ui.separator();
            ui.label(status);
        }
    });
}
