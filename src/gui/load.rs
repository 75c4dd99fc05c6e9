//! The left pane: open or drop a file, unlock it, see the identity, choose the CA files.

use egui::{RichText, Ui};

use super::app::{CertlensApp, Pick};
use super::widgets;
use crate::report::CertificateSummary;

pub fn show(app: &mut CertlensApp, ui: &mut Ui) {
    ui.heading("Client certificate");
    ui.horizontal(|ui| {
        if ui.button("Open…").clicked() {
            app.pick(Pick::Identity);
        }
        ui.label(RichText::new("or drop a .p12, .pfx, .pem, .crt on the window").weak());
    });
    if let Some(path) = &app.loading {
        let mut cancel = false;
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(format!("Opening {}…", file_name(path)));
            cancel = ui.small_button("Cancel").clicked();
        });
        if cancel {
            app.cancel_load();
        }
    }
    unlock_card(app, ui);
    if let Some(error) = &app.load_error {
        ui.colored_label(widgets::bad(ui), error);
    }
    ui.add_space(6.0);
    identity(app, ui);
    ui.add_space(10.0);
    ui.separator();
    cas(app, ui);
    ui.add_space(10.0);
    ui.separator();
    recent(app, ui);
}

fn unlock_card(app: &mut CertlensApp, ui: &mut Ui) {
    let password_id = egui::Id::unique("certlens-unlock-password");
    if app.unlock.is_none() {
        // egui keeps undo copies of what was typed in its widget state; once the card is gone,
        // nothing of the password stays in the window's memory.
        ui.ctx()
            .data_mut(|d| d.remove::<egui::text_edit::TextEditState>(password_id));
        return;
    }
    let mut submit = false;
    let mut dismiss = false;
    if let Some(unlock) = &mut app.unlock {
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.label(
                RichText::new(format!(
                    "{} is protected by a password",
                    file_name(&unlock.path)
                ))
                .strong(),
            );
            ui.label(format!("({})", unlock.what));
            let response = ui.add(
                egui::TextEdit::singleline(&mut *unlock.password)
                    .id(password_id)
                    .password(true)
                    .hint_text("Password")
                    .desired_width(220.0),
            );
            response
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Password"));
            if std::mem::take(&mut unlock.focus) {
                response.request_focus();
            }
            if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                submit = true;
            }
            ui.horizontal(|ui| {
                submit |= ui.button("Unlock").clicked();
                dismiss = ui.button("Cancel").clicked();
            });
            if let Some(error) = &unlock.error {
                ui.colored_label(widgets::bad(ui), error);
            }
        });
    }
    if submit {
        app.submit_password();
    }
    if dismiss {
        app.unlock = None;
    }
}

fn identity(app: &mut CertlensApp, ui: &mut Ui) {
    let Some(loaded) = &mut app.loaded else {
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
        let mut selected = loaded.selected;
        egui::ComboBox::from_label("Identity")
            .selected_text(format!("#{}", selected + 1))
            .show_ui(ui, |ui| {
                for (i, identity) in loaded.identities.iter().enumerate() {
                    let subject = CertificateSummary::new(&identity.leaf, app.profile).subject;
                    ui.selectable_value(&mut selected, i, format!("#{} {subject}", i + 1));
                }
            });
        if selected != loaded.selected {
            loaded.selected = selected;
            app.reassess();
            return;
        }
    }
    let identity = loaded.identity();
    ui.add_space(4.0);
    for (i, cert) in std::iter::once(&identity.leaf)
        .chain(identity.chain.iter())
        .enumerate()
    {
        let summary = CertificateSummary::new(cert, app.profile);
        let role = if i == 0 { "Leaf" } else { "Chain" };
        ui.label(RichText::new(format!("{role}: {}", summary.subject)).monospace());
        if let Some(name) = cert.friendly_name() {
            ui.label(RichText::new(format!("   friendly name: {name}")).weak());
        }
    }
    match &identity.key {
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

fn cas(app: &mut CertlensApp, ui: &mut Ui) {
    ui.heading("CA the edge trusts");
    ui.label(
        RichText::new(
            "Used for certVerified and the issuer fields. Drop CA files on the Verify tab, or:",
        )
        .weak(),
    );
    if ui.button("Add CA file…").clicked() {
        app.pick(Pick::Ca);
    }
    let mut remove = None;
    for (i, (path, certs)) in app.cas.iter().enumerate() {
        ui.horizontal(|ui| {
            if ui
                .small_button("Remove")
                .on_hover_text("Remove this CA")
                .clicked()
            {
                remove = Some(i);
            }
            ui.label(format!("{} ({} cert.)", file_name(path), certs.len()));
        });
    }
    if let Some(i) = remove {
        app.remove_ca(i);
    }
    if let Some(error) = &app.ca_error {
        ui.colored_label(widgets::bad(ui), error);
    }
}

fn recent(app: &mut CertlensApp, ui: &mut Ui) {
    if app.settings.recent_files.is_empty() {
        return;
    }
    ui.heading("Recent");
    let mut open = None;
    for path in &app.settings.recent_files {
        if ui
            .link(file_name(path))
            .on_hover_text(path.display().to_string())
            .clicked()
        {
            open = Some(path.clone());
        }
    }
    if let Some(path) = open {
        app.open(path);
    }
}

pub fn file_name(path: &std::path::Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}
