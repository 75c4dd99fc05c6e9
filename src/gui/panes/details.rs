//! The details pane: each certificate in full, and its PEM (never the key).

use egui::{RichText, Ui};

use crate::gui::command::Commands;
use crate::gui::state::State;
use crate::gui::widgets;

pub fn ui(ui: &mut Ui, state: &State, commands: &Commands) {
    let Some(assessment) = &state.assessment else {
        ui.label("Open a certificate to see its details.");
        return;
    };
    let overview = &assessment.overview;
    for (i, ((details, pem), entry)) in overview
        .details
        .iter()
        .zip(&overview.pems)
        .zip(&overview.chain)
        .enumerate()
    {
        egui::CollapsingHeader::new(format!(
            "{} {}",
            if i == 0 { "Leaf" } else { "Chain" },
            entry.name
        ))
        .id_salt(("details", i))
        .default_open(i == 0)
        .show(ui, |ui| {
            egui::Grid::new(("details-grid", i))
                .num_columns(2)
                .striped(true)
                .spacing([12.0, 4.0])
                .show(ui, |ui| {
                    let mut row = |label: &str, value: &str| {
                        ui.label(RichText::new(label).strong());
                        widgets::value(ui, value);
                        ui.end_row();
                    };
                    row("SHA-256", &details.sha256);
                    row("SHA-1", &details.sha1);
                    row("Subject", &entry.name);
                    row("Subject (RFC 2253)", &details.subject);
                    row("Issuer (RFC 2253)", &details.issuer);
                    row("Serial", &details.serial);
                    row("Version", &format!("v{}", details.version));
                    row("Not before", &details.not_before);
                    row("Not after", &details.not_after);
                    row("Key", &details.key);
                    row("Signature", &details.signature_algorithm);
                    for san in &details.subject_alt_names {
                        row("Subject alt. name", san);
                    }
                    for ext in &details.extensions {
                        row(
                            &format!(
                                "{}{}",
                                ext.name,
                                if ext.critical { " (critical)" } else { "" }
                            ),
                            &ext.value,
                        );
                    }
                });
            ui.horizontal(|ui| {
                ui.label(RichText::new("PEM").strong());
                widgets::copy_button(ui, commands, pem, "the certificate (PEM)");
            });
            widgets::value(ui, pem);
        });
    }
}
