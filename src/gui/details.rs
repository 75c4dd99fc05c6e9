//! The details pane: each certificate in full, and its PEM (never the key).

use egui::{RichText, Ui};

use super::app::CertlensApp;
use super::widgets;
use crate::report::details::CertificateDetails;

pub fn show(app: &mut CertlensApp, ui: &mut Ui) {
    let Some(loaded) = &app.loaded else {
        ui.label("Open a certificate to see its details.");
        return;
    };
    let identity = loaded.identity();
    for (i, cert) in std::iter::once(&identity.leaf)
        .chain(identity.chain.iter())
        .enumerate()
    {
        let details = CertificateDetails::of(cert, app.profile);
        egui::CollapsingHeader::new(format!(
            "{} {}",
            if i == 0 { "Leaf" } else { "Chain" },
            details.subject
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
                    row("Subject", &details.subject);
                    row("Issuer", &details.issuer);
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
            let pem = cert.to_pem();
            ui.horizontal(|ui| {
                ui.label(RichText::new("PEM").strong());
                widgets::copy_button(ui, &pem, "the certificate (PEM)");
            });
            widgets::value(ui, &pem);
        });
    }
}
