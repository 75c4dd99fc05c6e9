//! The every-edge tab: one certificate's values edge by edge, aspect by aspect, each spelling
//! of an aspect in its own colour and letter; and, for the fields tab, one edge's values with
//! what confirms each.

use egui::{Color32, RichText, Ui};

use crate::fields::FieldValue;
use crate::fields::profiles::EdgeOutput;
use crate::gui::command::{Command, Commands};
use crate::gui::state::State;
use crate::gui::widgets;
use crate::report::spelling_letter;

/// The colour of the `index`th spelling of an aspect.
fn spelling_colour(ui: &Ui, index: usize) -> Color32 {
    const DARK: [Color32; 6] = [
        Color32::from_rgb(130, 190, 255),
        Color32::from_rgb(240, 180, 90),
        Color32::from_rgb(150, 220, 140),
        Color32::from_rgb(230, 130, 200),
        Color32::from_rgb(200, 200, 110),
        Color32::from_rgb(140, 220, 220),
    ];
    const LIGHT: [Color32; 6] = [
        Color32::from_rgb(20, 90, 180),
        Color32::from_rgb(170, 90, 0),
        Color32::from_rgb(30, 120, 30),
        Color32::from_rgb(160, 30, 120),
        Color32::from_rgb(110, 110, 0),
        Color32::from_rgb(0, 120, 120),
    ];
    let palette = if ui.visuals().dark_mode { DARK } else { LIGHT };
    palette[index % palette.len()]
}

pub fn ui(ui: &mut Ui, state: &State, commands: &Commands) {
    let Some(assessment) = &state.assessment else {
        ui.label("Open or drop a client certificate to see every edge's view of it.");
        return;
    };
    let table = &assessment.every_edge;
    ui.heading("Every edge");
    ui.label(
        "The same certificate as each edge hands it to the application. Rows with the same letter and colour spell the value the same way; \"doc\" marks a spelling only the vendor's documentation gives (unconfirmed).",
    );
    for warning in &table.warnings {
        ui.colored_label(widgets::bad(ui), format!("Warning: {warning}"));
    }
    // Edge and header stacked in one column, so the value column keeps room to wrap in.
    let column = (ui.available_width() - 460.0).max(200.0);
    egui::Grid::new("every-edge")
        .num_columns(4)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for aspect in &table.aspects {
                // An empty row between aspects (a grid takes no spacers).
                ui.label("");
                ui.end_row();
                ui.label("");
                ui.label(
                    RichText::new(format!(
                        "{} — {}",
                        aspect.title,
                        match aspect.spellings {
                            1 => "one spelling".to_owned(),
                            n => format!("{n} spellings"),
                        }
                    ))
                    .strong(),
                );
                ui.end_row();
                for row in &aspect.rows {
                    let colour = spelling_colour(ui, row.spelling);
                    ui.label(
                        RichText::new(format!("[{}]", spelling_letter(row.spelling)))
                            .monospace()
                            .color(colour),
                    );
                    ui.vertical(|ui| {
                        ui.label(row.profile.title());
                        ui.label(RichText::new(&row.label).monospace().small().weak());
                    });
                    match (&row.value, row.reason) {
                        (Some(value), _) => {
                            ui.scope(|ui| {
                                ui.visuals_mut().override_text_color = Some(colour);
                                widgets::value_in(ui, value, column);
                            });
                        }
                        (None, reason) => {
                            ui.vertical(|ui| {
                                ui.set_width(column);
                                ui.add(
                                    egui::Label::new(
                                        RichText::new(reason.unwrap_or("")).italics().weak(),
                                    )
                                    .wrap(),
                                );
                            });
                        }
                    }
                    ui.horizontal(|ui| {
                        if let Some(value) = &row.value {
                            widgets::copy_button(ui, commands, value, &row.label);
                        }
                        if !row.basis.is_confirmed() {
                            ui.label(RichText::new("doc").small().color(widgets::warn(ui)))
                                .on_hover_text(row.basis.detail());
                        }
                    });
                    ui.end_row();
                }
            }
        });
}

/// One edge's values (for edges other than Cloudflare and nginx), with what confirms each.
pub fn values(ui: &mut Ui, output: &EdgeOutput, commands: &Commands) {
    let values = &output.values;
    // Room for the header, Copy and "Confirmed by" columns beside the wrapped value.
    let column = (ui.available_width() - 560.0).max(200.0);
    egui::Grid::new("edge-values")
        .num_columns(4)
        .striped(true)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Header").strong());
            ui.label(RichText::new("Value").strong());
            ui.label("");
            ui.label(RichText::new("Confirmed by").strong());
            ui.end_row();
            for value in values {
                ui.label(RichText::new(value.label()).monospace());
                match &value.value {
                    FieldValue::NotComputed(reason) => {
                        ui.vertical(|ui| {
                            ui.set_width(column);
                            ui.add(
                                egui::Label::new(RichText::new(*reason).italics().weak()).wrap(),
                            );
                        });
                        ui.label("");
                    }
                    other => {
                        let text = other.as_header_value().unwrap_or_default();
                        widgets::value_in(ui, &text, column);
                        widgets::copy_button(ui, commands, &text, &value.label());
                    }
                }
                let word = value.basis.word();
                let colour = if value.basis.is_confirmed() {
                    widgets::good(ui)
                } else {
                    widgets::warn(ui)
                };
                ui.label(RichText::new(word).color(colour))
                    .on_hover_text(value.basis.detail());
                ui.end_row();
            }
        });
    if ui.button("Copy the headers").clicked() {
        let lines: String = output
            .headers
            .iter()
            .map(|(name, value)| format!("{name}: {value}\n"))
            .collect();
        commands.send(Command::Copy(lines));
    }
}
