//! The Cloudflare setup tab: the Live test's hostname read through the Cloudflare API with a
//! read-only token — is mTLS on, does the identity chain to an associated CA, is it revoked,
//! is it forwarded, would a WAF custom rule block it — each finding a row with its fix.

use egui::{RichText, Ui};

use crate::edge_setup::cloudflare::{SetupCheck, Status, Verdict};
use crate::gui::command::{Command, Commands};
use crate::gui::state::{SetupState, State};
use crate::gui::widgets;
use crate::report::{cloudflare_row_details, cloudflare_row_title, cloudflare_summary};

pub fn ui(ui: &mut Ui, state: &State, commands: &Commands) {
    ui.heading("Will Cloudflare let this certificate through?");
    ui.label(
        "Reads the hostname's setup with a read-only API token: the hosts associated with each CA, this certificate's status in the dashboard, forwarding to the origin, and every WAF custom rule, evaluated for this certificate with Cloudflare's own rule engine.",
    );
    let url = state.url.trim();
    ui.label(if url.is_empty() {
        "URL: set it on the Live test tab".to_owned()
    } else {
        format!("URL: {url}")
    });
    form(ui, state, commands);
    ui.horizontal(|ui| {
        let running = matches!(state.setup, SetupState::Running);
        if ui
            .add_enabled(
                state.loaded.is_some() && !url.is_empty() && !running,
                egui::Button::new("Check Cloudflare setup"),
            )
            .clicked()
        {
            commands.send(Command::CheckCloudflare);
        }
        if running {
            ui.spinner();
            ui.label("Reading the Cloudflare API…");
        }
    });
    ui.add_space(6.0);
    match &state.setup {
        SetupState::Idle | SetupState::Running => {}
        SetupState::Failed(error) => {
            ui.colored_label(widgets::bad(ui), error);
        }
        SetupState::Done(check) => findings(ui, check),
    }
}

fn form(ui: &mut Ui, state: &State, commands: &Commands) {
    let form = &state.cloudflare;
    egui::Grid::new("cloudflare-form")
        .num_columns(2)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            ui.label("API token");
            let mut token = form.token.clone();
            let field = ui.add(
                egui::TextEdit::singleline(&mut *token)
                    .password(true)
                    .hint_text("read-only token (or set CLOUDFLARE_API_TOKEN)")
                    .desired_width(360.0),
            );
            field.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::PasswordInput, true, "API token")
            });
            if field.changed() {
                let mut next = form.clone();
                next.token = token;
                commands.send(Command::SetCloudflare(next));
            }
            ui.end_row();
            ui.label("Path");
            let mut path = form.path.clone();
            let field = ui.add(
                egui::TextEdit::singleline(&mut path)
                    .hint_text("the URL's path (optional)")
                    .desired_width(360.0),
            );
            field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Path"));
            if field.changed() {
                let mut next = form.clone();
                next.path = path;
                commands.send(Command::SetCloudflare(next));
            }
            ui.end_row();
        });
    ui.add(
        egui::Label::new(
            RichText::new(
                "The token needs read permissions only: Zone Read, SSL and Certificates Read (zone and account), Zone WAF Read; for forwarding also Managed headers Read and Access: Mutual TLS Certificates Read. It is kept for this session only.",
            )
            .weak(),
        )
        .wrap(),
    );
    let mut worker = form.worker;
    if ui
        .checkbox(
            &mut worker,
            "The application is a Worker (nothing needs forwarding to an origin)",
        )
        .changed()
    {
        let mut next = form.clone();
        next.worker = worker;
        commands.send(Command::SetCloudflare(next));
    }
    egui::CollapsingHeader::new("Advanced").show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.label("API base");
            let mut base = form.api_base.clone();
            let field = ui.add(egui::TextEdit::singleline(&mut base).desired_width(360.0));
            field
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "API base"));
            if field.changed() {
                let mut next = form.clone();
                next.api_base = base;
                commands.send(Command::SetCloudflare(next));
            }
        });
    });
}

fn findings(ui: &mut Ui, check: &SetupCheck) {
    let colour = match check.verdict {
        Verdict::GetsThrough => widgets::good(ui),
        Verdict::Problem => widgets::bad(ui),
        Verdict::Incomplete => ui.visuals().warn_fg_color,
    };
    ui.label(
        RichText::new(cloudflare_summary(check))
            .strong()
            .color(colour),
    );
    if let Some(verdict) = &check.cert_verified {
        ui.label(format!("certVerified on {}: {verdict}", check.host));
    }
    ui.add_space(6.0);
    for row in &check.rows {
        ui.separator();
        let colour = match row.status {
            Status::Pass => widgets::good(ui),
            Status::Fail => widgets::bad(ui),
            Status::Unknown => ui.visuals().warn_fg_color,
        };
        ui.horizontal(|ui| {
            ui.colored_label(colour, RichText::new(row.status.word()).strong());
            ui.label(RichText::new(cloudflare_row_title(row)).strong());
            ui.label(RichText::new(row.code).monospace());
        });
        ui.indent(row.code, |ui| {
            ui.add(egui::Label::new(&row.summary).wrap());
            for line in cloudflare_row_details(row) {
                ui.add(egui::Label::new(RichText::new(line).weak()).wrap());
            }
        });
    }
}
