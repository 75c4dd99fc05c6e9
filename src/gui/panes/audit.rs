//! The Audit tab: the requests an attacker would try against the Live test's URL (with its
//! server, proxy and HTTP settings), and what each one met.

use egui::{RichText, Ui};

use crate::gui::command::{Command, Commands};
use crate::gui::state::{AuditState, State};
use crate::gui::widgets;
use crate::report::{audit_outcome, audit_summary};

pub fn ui(ui: &mut Ui, state: &State, commands: &Commands) {
    ui.heading("Does the edge really enforce mTLS?");
    ui.label(
        "Sends what an attacker would try — no certificate, your leaf's twins from another CA and self-signed, forged certificate headers — to the Live test's URL, with its server, proxy and HTTP settings.",
    );
    ui.horizontal(|ui| {
        let url = state.url.trim();
        ui.label(if url.is_empty() {
            "URL: set it on the Live test tab".to_owned()
        } else {
            format!("URL: {url}")
        });
        let running = matches!(state.audit, AuditState::Running);
        if ui
            .add_enabled(
                state.loaded.is_some() && !url.is_empty() && !running,
                egui::Button::new("Audit this hostname"),
            )
            .clicked()
        {
            commands.send(Command::StartAudit);
        }
        if running {
            ui.spinner();
            ui.label("Sending the probes…");
        }
    });
    ui.horizontal(|ui| {
        ui.label("Resume from");
        let mut other = state.resume_from.clone();
        let field = ui.add(
            egui::TextEdit::singleline(&mut other)
                .hint_text("https://other-host-or-port.example.com/ (optional)")
                .desired_width(420.0),
        );
        field.widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Resume from")
        });
        if field.changed() {
            commands.send(Command::SetResumeFrom(other));
        }
    })
    .response
    .on_hover_text(
        "Another host or port of the same edge that accepts your identity: a TLS session made there is offered here, and the other way, with no certificate",
    );
    ui.add_space(6.0);
    match &state.audit {
        AuditState::Idle | AuditState::Running => {}
        AuditState::Failed(error) => {
            ui.colored_label(widgets::bad(ui), error);
        }
        AuditState::Done(audit) => {
            let open = audit.open().next().is_some();
            let colour = if open {
                widgets::bad(ui)
            } else {
                widgets::good(ui)
            };
            ui.label(RichText::new(audit_summary(audit)).strong().color(colour));
            ui.add_space(6.0);
            egui::Grid::new("audit")
                .num_columns(3)
                .striped(true)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    for heading in ["Probe", "HTTP", "What happened"] {
                        ui.label(RichText::new(heading).strong());
                    }
                    ui.end_row();
                    for row in &audit.probes {
                        let name = RichText::new(row.id.name()).monospace();
                        if row.is_open() {
                            ui.colored_label(widgets::bad(ui), name.strong())
                                .on_hover_text(row.why);
                        } else {
                            ui.label(name).on_hover_text(row.why);
                        }
                        ui.label(row.protocol);
                        ui.vertical(|ui| {
                            ui.add(egui::Label::new(audit_outcome(row)).wrap());
                            ui.add(egui::Label::new(RichText::new(&row.sent).weak()).wrap());
                            if !row.forged_reached.is_empty() {
                                ui.add(
                                    egui::Label::new(format!(
                                        "Forged headers the application received unchanged: {}",
                                        row.forged_reached.join(", ")
                                    ))
                                    .wrap(),
                                );
                            }
                        });
                        ui.end_row();
                    }
                });
            for missing in &audit.not_run {
                ui.add(
                    egui::Label::new(
                        RichText::new(format!("Not probed: {}: {}", missing.id, missing.reason))
                            .italics(),
                    )
                    .wrap(),
                );
            }
        }
    }
}
