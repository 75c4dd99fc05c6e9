//! The fields pane: every tlsClientAuth property for the chosen profile, its header, its value,
//! a copy button per row and "Copy all as JSON".

use egui::{RichText, Ui};

use super::app::CertlensApp;
use super::widgets;
use crate::fields::{FieldValue, Instant, Property};
use crate::report::FieldsDocument;
use crate::report::details::readable_name;

pub fn show(app: &mut CertlensApp, ui: &mut Ui) {
    let (Some(loaded), Some(view)) = (&app.loaded, &app.view) else {
        ui.label(
            "Open or drop a client certificate to see what the edge will hand your application.",
        );
        return;
    };
    let identity = loaded.identity();
    ui.horizontal(|ui| {
        ui.heading(format!(
            "request.cf.tlsClientAuth — {} profile",
            view.profile.name()
        ));
        if ui.button("Copy all as JSON").clicked() {
            let document = FieldsDocument::new(&loaded.file, identity, view);
            ui.ctx()
                .copy_text(serde_json::to_string_pretty(&document).unwrap_or_default());
        }
    });
    validity_badge(ui, view);
    for warning in &view.warnings {
        ui.colored_label(widgets::bad(ui), format!("Warning: {warning}"));
    }
    let column = ui.available_width() - 420.0;
    egui::Grid::new("fields")
        .num_columns(4)
        .striped(true)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Property").strong());
            ui.label(RichText::new("X-CERT header").strong());
            ui.label(RichText::new("Value").strong());
            ui.label("");
            ui.end_row();
            for (property, value) in view.values() {
                ui.label(property.name())
                    .on_hover_text(property.description());
                let header = crate::fields::X_CERT_HEADERS
                    .iter()
                    .find(|(_, p)| p == property)
                    .map(|(h, _)| *h)
                    .unwrap_or("");
                ui.label(RichText::new(header).monospace().weak());
                match value {
                    FieldValue::Text(text) => {
                        widgets::value_in(ui, text, column);
                        widgets::copy_button(ui, text, property.name());
                    }
                    FieldValue::Flag(flag) => {
                        widgets::value(ui, &flag.to_string());
                        ui.label("");
                    }
                    FieldValue::NotComputed(reason) => {
                        ui.label(RichText::new(*reason).italics().weak());
                        ui.label("");
                    }
                }
                ui.end_row();
            }
        });
    ui.add_space(12.0);
    ui.heading("Subject, readable");
    rdn_table(ui, "subject-rdns", identity.leaf.subject_der());
    ui.heading("Issuer, readable");
    rdn_table(ui, "issuer-rdns", identity.leaf.issuer_der());
}

fn rdn_table(ui: &mut Ui, id: &str, name_der: &[u8]) {
    egui::Grid::new(id)
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (attribute, value) in readable_name(name_der) {
                ui.label(RichText::new(attribute).strong());
                widgets::value(ui, &value);
                ui.end_row();
            }
        });
}

fn validity_badge(ui: &mut Ui, view: &crate::fields::EdgeView) {
    let text = |p| view.get(p).as_header_value().unwrap_or_default();
    let (start, end) = (text(Property::CertNotBefore), text(Property::CertNotAfter));
    let now = Instant::now();
    let (message, colour) = match (Instant::from_printed(&start), Instant::from_printed(&end)) {
        (Some(s), _) if now.unix < s.unix => {
            (format!("Not valid yet: starts {start}"), widgets::warn(ui))
        }
        (_, Some(e)) if now.unix > e.unix => (
            format!("Expired {} days ago ({end})", (now.unix - e.unix) / 86_400),
            widgets::bad(ui),
        ),
        (_, Some(e)) if e.unix - now.unix < 30 * 86_400 => (
            format!(
                "Valid, expires in {} days ({end})",
                (e.unix - now.unix) / 86_400
            ),
            widgets::warn(ui),
        ),
        (_, Some(e)) => (
            format!(
                "Valid until {end} (in {} days)",
                (e.unix - now.unix) / 86_400
            ),
            widgets::good(ui),
        ),
        _ => (
            format!("Validity: {start} – {end}"),
            ui.visuals().text_color(),
        ),
    };
    ui.colored_label(colour, RichText::new(message).strong());
}
