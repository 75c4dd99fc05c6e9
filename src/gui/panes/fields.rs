//! The fields pane: every tlsClientAuth property for the chosen profile, its header, its value
//! (the edge's bytes, escapes and all), a copy button per row and "Copy all as JSON"; then the
//! subject and issuer decoded for a person.

use egui::{RichText, Ui};

use crate::gui::command::{Command, Commands};
use crate::gui::state::State;
use crate::gui::widgets;

pub fn ui(ui: &mut Ui, state: &State, commands: &Commands) {
    let Some(assessment) = &state.assessment else {
        ui.label(
            "Open or drop a client certificate to see what the edge will hand your application.",
        );
        return;
    };
    let overview = &assessment.overview;
    if assessment.view.edge.worker_properties().is_none() {
        ui.heading(format!("What {} sends", assessment.view.profile.title()));
        ui.colored_label(
            widgets::validity(ui, overview.validity.state),
            RichText::new(&overview.validity.sentence).strong(),
        );
        for warning in &assessment.view.warnings {
            ui.colored_label(widgets::bad(ui), format!("Warning: {warning}"));
        }
        super::edges::values(ui, &assessment.view.edge, commands);
        return;
    }
    ui.horizontal(|ui| {
        ui.heading(format!(
            "request.cf.tlsClientAuth — {} profile",
            assessment.view.profile.name()
        ));
        if ui.button("Copy all as JSON").clicked() {
            commands.send(Command::Copy(overview.fields_json.clone()));
        }
    });
    ui.colored_label(
        widgets::validity(ui, overview.validity.state),
        RichText::new(&overview.validity.sentence).strong(),
    );
    for warning in &assessment.view.warnings {
        ui.colored_label(widgets::bad(ui), format!("Warning: {warning}"));
    }
    if let Some(other) = &assessment.view.other_wording {
        ui.add(
            egui::Label::new(RichText::new(format!("certVerified: {}", other.note)).italics())
                .wrap(),
        );
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
            for row in &overview.rows {
                ui.label(row.property.name())
                    .on_hover_text(row.property.description());
                ui.label(RichText::new(row.header).monospace().weak());
                match &row.value {
                    Ok(text) if row.flag => {
                        widgets::value(ui, text);
                        ui.label("");
                    }
                    Ok(text) => {
                        widgets::value_in(ui, text, column);
                        widgets::copy_button(ui, commands, text, row.property.name());
                    }
                    Err(reason) => {
                        // Wrapped in the value column, so the Copy column stays on screen.
                        ui.vertical(|ui| {
                            ui.set_width(column.max(120.0));
                            ui.add(
                                egui::Label::new(RichText::new(*reason).italics().weak()).wrap(),
                            );
                        });
                        ui.label("");
                    }
                }
                ui.end_row();
            }
        });
    ui.add_space(12.0);
    ui.heading("Subject, readable");
    rdn_table(ui, "subject-rdns", &overview.subject);
    ui.heading("Issuer, readable");
    rdn_table(ui, "issuer-rdns", &overview.issuer);
}

fn rdn_table(ui: &mut Ui, id: &str, attributes: &[(String, String)]) {
    egui::Grid::new(id)
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            for (attribute, value) in attributes {
                ui.label(RichText::new(attribute).strong());
                widgets::value(ui, value);
                ui.end_row();
            }
        });
}
