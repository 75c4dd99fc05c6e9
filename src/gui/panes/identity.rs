//! The left pane: open or drop a file, unlock it, see the identity, choose the CA files.

use egui::{RichText, Ui};
use zeroize::Zeroizing;

use crate::gui::command::{Command, Commands, Pick};
use std::path::PathBuf;

use crate::fields::Profile;
use crate::gui::state::{Secret, State, TokenPicker, Unlock, file_name};
use crate::gui::widgets;
use crate::identity::token::ModuleListing;
use crate::report::{CertificateSummary, key_presence_text, pin_text};

pub fn ui(ui: &mut Ui, state: &State, commands: &Commands) {
    ui.heading("Client certificate");
    ui.horizontal(|ui| {
        if ui.button("Open…").clicked() {
            commands.send(Command::Pick(Pick::Identity));
        }
        if ui.button("Smart card or token…").clicked() {
            commands.send(Command::ListTokens);
        }
    });
    ui.label(RichText::new("or drop a .p12, .pfx, .jks, .pem, .crt on the window").weak());
    tokens_card(ui, &state.tokens, commands);
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
    let key_password_id = egui::Id::unique("certlens-unlock-key-password");
    let Some(unlock) = unlock else {
        // egui keeps undo copies of what was typed in its widget state; once the card is gone,
        // nothing of the password stays in the window's memory.
        ui.ctx().data_mut(|d| {
            d.remove::<egui::text_edit::TextEditState>(password_id);
            d.remove::<egui::text_edit::TextEditState>(key_password_id);
        });
        return;
    };
    let (title, label) = match unlock.secret {
        Secret::Password => ("is protected by a password", "Password"),
        Secret::Keystore => ("is protected by a password", "Store password"),
        Secret::Pin => ("needs the token's PIN", "PIN"),
    };
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(RichText::new(format!("{} {title}", file_name(&unlock.path))).strong());
        ui.label(format!("({})", unlock.what));
        // Edited in a copy that is wiped when dropped; the state takes it by command.
        let mut typed = Zeroizing::new(unlock.password.to_string());
        let response = ui.add(
            egui::TextEdit::singleline(&mut *typed)
                .id(password_id)
                .password(true)
                .hint_text(label)
                .desired_width(220.0),
        );
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, label));
        if response.changed() {
            commands.send(Command::TypePassword(typed));
        }
        if unlock.focus {
            response.request_focus();
            commands.send(Command::FocusTaken);
        }
        let mut submitted = response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if unlock.secret == Secret::Keystore {
            let mut typed = Zeroizing::new(unlock.key_password.to_string());
            let response = ui.add(
                egui::TextEdit::singleline(&mut *typed)
                    .id(key_password_id)
                    .password(true)
                    .hint_text("Key password (if different)")
                    .desired_width(220.0),
            );
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Key password")
            });
            if response.changed() {
                commands.send(Command::TypeKeyPassword(typed));
            }
            submitted |= response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        }
        if submitted {
            commands.send(Command::SubmitPassword);
        }
        ui.horizontal(|ui| {
            if ui.button("Unlock").clicked() {
                commands.send(Command::SubmitPassword);
            }
            if unlock.secret == Secret::Pin
                && ui
                    .button("Without the key")
                    .on_hover_text("Fields and verification need no PIN; the live test does")
                    .clicked()
            {
                commands.send(Command::OpenWithoutKey);
            }
            if ui.button("Cancel").clicked() {
                commands.send(Command::DismissUnlock);
            }
        });
        if unlock.secret == Secret::Pin {
            ui.label(
                RichText::new("A wrong PIN is tried once, never again on its own: tokens lock.")
                    .weak(),
            );
        }
        if let Some(error) = &unlock.error {
            ui.colored_label(widgets::bad(ui), error);
        }
    });
}

/// The *Smart card or token…* card: every token and its certificates, each opened by its URI.
fn tokens_card(ui: &mut Ui, tokens: &TokenPicker, commands: &Commands) {
    if matches!(tokens, TokenPicker::Closed) {
        return;
    }
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label(RichText::new("Smart cards and tokens").strong());
            if ui.small_button("Close").clicked() {
                commands.send(Command::CloseTokens);
            }
        });
        match tokens {
            TokenPicker::Closed => {}
            TokenPicker::Listing => {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Reading the PKCS#11 modules…");
                });
            }
            TokenPicker::Failed(error) => {
                ui.colored_label(widgets::bad(ui), error);
            }
            TokenPicker::Listed(listings) => token_list(ui, listings, commands),
        }
    });
}

fn token_list(ui: &mut Ui, listings: &[ModuleListing], commands: &Commands) {
    let tokens: Vec<_> = listings.iter().flat_map(|l| &l.tokens).collect();
    if tokens.is_empty() {
        ui.label("No token is present (modules read: p11-kit's registered ones).");
    }
    for token in tokens {
        ui.label(
            RichText::new(format!(
                "“{}” · {} {}",
                token.label, token.manufacturer, token.model
            ))
            .strong(),
        )
        .on_hover_text(format!("serial {}", token.serial));
        ui.label(RichText::new(pin_text(token.pin)).weak());
        if let Some(error) = &token.error {
            ui.colored_label(widgets::bad(ui), error);
        }
        for certificate in &token.certificates {
            let summary = CertificateSummary::new(&certificate.certificate, Profile::Cloudflare);
            ui.horizontal(|ui| {
                if ui
                    .button(format!("Open “{}”", certificate.label))
                    .on_hover_text(&certificate.uri)
                    .clicked()
                {
                    commands.send(Command::Open(PathBuf::from(&certificate.uri)));
                }
            });
            ui.indent(&certificate.uri, |ui| {
                ui.add(egui::Label::new(format!("subject {}", summary.subject)).wrap());
                ui.add(
                    egui::Label::new(RichText::new(format!("issuer {}", summary.issuer)).weak())
                        .wrap(),
                );
                ui.label(
                    RichText::new(format!(
                        "expires {} · {}",
                        summary.not_after,
                        key_presence_text(certificate.key)
                    ))
                    .weak(),
                );
            });
        }
    }
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
