//! The verify pane: the verdict in the edge's words, the checks behind it, the chain built.

use egui::{RichText, Ui};

use crate::gui::command::{Command, Commands, Pick};
use crate::gui::state::State;
use crate::gui::widgets;

pub fn ui(ui: &mut Ui, state: &State, commands: &Commands) {
    ui.horizontal(|ui| {
        ui.heading("Verify against the CA the edge trusts");
        if ui.button("Add CA file…").clicked() {
            commands.send(Command::Pick(Pick::Ca));
        }
    });
    ui.label(RichText::new("Drop CA files on this tab to add them.").weak());
    if state.loaded.is_none() {
        ui.label("Open a client certificate first.");
        return;
    }
    let Some(assessment) = &state.assessment else {
        return;
    };
    let Some(verification) = &assessment.verification else {
        ui.label("Choose the CA file(s) uploaded to the hostname's mTLS settings to compute certVerified.");
        return;
    };
    let colour = if verification.is_success() {
        widgets::good(ui)
    } else {
        widgets::bad(ui)
    };
    ui.add_space(6.0);
    ui.label(
        RichText::new(&verification.verdict)
            .size(26.0)
            .strong()
            .color(colour)
            .monospace(),
    );
    ui.label(
        RichText::new(format!(
            "certVerified, as the {} edge sets it (the last failing check decides)",
            assessment.view.profile.name()
        ))
        .weak(),
    );
    if let Some(other) = &verification.other_wording {
        ui.add(egui::Label::new(RichText::new(&other.note).italics()).wrap());
    }
    for warning in &verification.warnings {
        ui.colored_label(widgets::bad(ui), format!("Warning: {warning}"));
    }
    ui.add_space(8.0);
    ui.heading("Checks, in the edge's order");
    egui::Grid::new("checks")
        .num_columns(3)
        .striped(true)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            for check in &verification.checks {
                let (mark, colour) = if check.passed {
                    ("ok", widgets::good(ui))
                } else {
                    ("FAILED", widgets::bad(ui))
                };
                ui.colored_label(colour, mark);
                let at = check
                    .depth
                    .map(|d| format!(" ({})", crate::report::chain_label(d)))
                    .unwrap_or_default();
                ui.label(RichText::new(format!("{}{at}", check.check)).strong());
                ui.add(egui::Label::new(&check.detail).wrap());
                ui.end_row();
            }
        });
    ui.add_space(8.0);
    ui.heading(if verification.trusted {
        "Chain built (ends at a chosen CA)"
    } else {
        "Chain built (no chosen CA reached)"
    });
    for entry in &assessment.overview.verified_chain {
        ui.label(format!(
            "{:>5}  {}  (until {})",
            entry.label, entry.name, entry.not_after
        ))
        .on_hover_text(&entry.escaped);
    }
}
