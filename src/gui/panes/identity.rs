//! The left pane: open or drop a file, unlock it, see the identity, choose the CA files.

use egui::{RichText, Ui};
use zeroize::Zeroizing;

use crate::gui::command::{Command, Commands, Pick};
use crate::gui::state::{State, Unlock, file_name};
use crate::gui::widgets;

pub fn ui(ui: &mut Ui, state: &State, commands: &Commands) {
    ui.heading("Client certificate");
    ui.horizontal(|ui| {
        if ui.button("Open…").clicked() {
            commands.send(Command::Pick(Pick::Identity));
        }
        ui.label(RichText::new("or drop a .p12, .pfx, .pem, .crt on the window").weak());
    });
    if let Some(path) = &state.loading {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!("Opening {}…", file_name(path)));
            if ui.small_button("Cancel").clicked() {
                commands.send(Command::CancelLoad);
            }
        });
    }
    unlock_card(ui, state.unlock.as_ref(), commands);
    if let Some(error) = &state.load_error {
        ui.colored_label(widgets::bad(ui), error);
    }
    ui.add_space(6.0);
    identity(ui, state, commands);
    ui.add_space(10.0);
    ui.separator();
    cas(ui, state, commands);
    ui.add_space(10.0);
    ui.separator();
    recent(ui, state, commands);
}

fn unlock_card(ui: &mut Ui, unlock: Option<&Unlock>, commands: &Commands) {
    let password_id = egui::Id::unique("certlens-unlock-password");
    let Some(unlock) = unlock else {
        // egui keeps undo copies of what was typed in its widget state; once the card is gone,
        // nothing of the password stays in the window's memory.
        ui.ctx()
            .data_mut(|d| d.remove::<egui::text_edit::TextEditState>(password_id));
        return;
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(
            RichText::new(format!(
                "{} is protected by a password",
                file_name(&unlock.path)
            ))
            .strong(),
        );
        ui.label(format!("({})", unlock.what));
        // Edited in a copy that is wiped when dropped; the state takes it by command.
        let mut typed = Zeroizing::new(unlock.password.to_string());
        let response = ui.add(
            egui::TextEdit::singleline(&mut *typed)
                .id(password_id)
                .password(true)
                .hint_text("Password")
                .desired_width(220.0),
        );
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Password"));
        if response.changed() {
            commands.send(Command::TypePassword(typed));
        }
        if unlock.focus {
            response.request_focus();
            commands.send(Command::FocusTaken);
        }
        if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
            commands.send(Command::SubmitPassword);
        }
        ui.horizontal(|ui| {
            if ui.button("Unlock").clicked() {
                commands.send(Command::SubmitPassword);
            }
            if ui.button("Cancel").clicked() {
                commands.send(Command::DismissUnlock);
            }
        });
        if let Some(error) = &unlock.error {
            ui.colored_label(widgets::bad(ui), error);
        }
    });
}

fn identity(ui: &mut Ui, state: &State, commands: &Commands) {
    let Some(loaded) = &state.loaded else {
        ui.label(RichText::new("No certificate loaded yet.").weak());
        return;
    };
    ui.label(RichText::new(file_name(&loaded.path)).strong());
    ui.label(format!(
        "{} · {} certificate(s)",
        loaded.file.format.name(),
        loaded.file.certificates.len()
    ));
    if loaded.identities.len() > 1 {
        egui::ComboBox::from_label("Identity")
            .selected_text(format!("#{}", loaded.selected + 1))
            .show_ui(ui, |ui| {
                for (i, (_, name)) in loaded.identities.iter().enumerate() {
                    if ui
                        .selectable_label(i == loaded.selected, format!("#{} {name}", i + 1))
                        .clicked()
                    {
                        commands.send(Command::SelectIdentity(i));
                    }
                }
            });
    }
    ui.add_space(4.0);
    if let Some(assessment) = &state.assessment {
        for entry in &assessment.overview.chain {
            let role = if entry.label == "leaf" {
                "Leaf"
            } else {
                "Chain"
            };
            ui.label(RichText::new(format!("{role}: {}", entry.name)).strong())
                .on_hover_text(&entry.escaped);
            if let Some(name) = &entry.friendly_name {
                ui.label(RichText::new(format!("   friendly name: {name}")).weak());
            }
        }
    }
    match &loaded.identity().key {
        Some(key) => {
            ui.colored_label(
                widgets::good(ui),
                format!("{} private key, matches the leaf", key.kind()),
            );
        }
        None => {
            ui.colored_label(
                widgets::warn(ui),
                "No private key: fields and verification work, the live test needs the key",
            );
        }
    }
    for skipped in &loaded.file.skipped {
        ui.label(RichText::new(format!("skipped: {skipped}")).weak());
    }
}

fn cas(ui: &mut Ui, state: &State, commands: &Commands) {
    ui.heading("CA the edge trusts");
    ui.label(
        RichText::new(
            "Used for certVerified and the issuer fields. Drop CA files on the Verify tab, or:",
        )
        .weak(),
    );
    if ui.button("Add CA file…").clicked() {
        commands.send(Command::Pick(Pick::Ca));
    }
    for (i, (path, certs)) in state.cas.iter().enumerate() {
        ui.horizontal(|ui| {
            if ui
                .small_button("Remove")
                .on_hover_text("Remove this CA")
                .clicked()
            {
                commands.send(Command::RemoveCa(i));
            }
            ui.label(format!("{} ({} cert.)", file_name(path), certs.len()));
        });
    }
    if let Some(error) = &state.ca_error {
        ui.colored_label(widgets::bad(ui), error);
    }
}

fn recent(ui: &mut Ui, state: &State, commands: &Commands) {
    if state.settings.recent_files.is_empty() {
        return;
    }
    ui.heading("Recent");
    for path in &state.settings.recent_files {
        if ui
            .link(file_name(path))
            .on_hover_text(path.display().to_string())
            .clicked()
        {
            commands.send(Command::Open(path.clone()));
        }
    }
}
