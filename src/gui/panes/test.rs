//! The test pane: URL, headers, server trust, the network settings, the button — then the
//! side-by-side comparison, the TLS details and the raw echo.

use egui::{RichText, Ui};

use crate::fields::Profile;
use crate::gui::command::{Command, Commands, Pick};
use crate::gui::state::{NetworkForm, ProxyChoice, State, TestState, file_name};
use crate::gui::widgets;
use crate::probe::{HttpVersion, LiveTest, Verdict};
use crate::report::CertificateSummary;

/// The echo Worker users deploy.
const ECHO_WORKER: &str = include_str!("../../../assets/echo-worker.js");

pub fn ui(ui: &mut Ui, state: &State, commands: &Commands) {
    ui.heading("Send a real mTLS request with this identity");
    egui::Grid::new("test-form")
        .num_columns(2)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            ui.label("URL");
            let mut url = state.url.clone();
            let field = ui.add(
                egui::TextEdit::singleline(&mut url)
                    .hint_text("https://mtls.example.com/")
                    .desired_width(420.0),
            );
            field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "URL"));
            if field.changed() {
                commands.send(Command::SetUrl(url));
            }
            ui.end_row();
            ui.label("Extra headers");
            let mut headers = state.headers.clone();
            if ui
                .add(
                    egui::TextEdit::multiline(&mut headers)
                        .hint_text("Name: value (one per line)")
                        .desired_rows(1)
                        .desired_width(420.0),
                )
                .changed()
            {
                commands.send(Command::SetHeaders(headers));
            }
            ui.end_row();
            ui.label("Server certificate");
            ui.horizontal(|ui| {
                match &state.server_ca {
                    Some((path, _)) => ui.label(format!("system roots + {}", file_name(path))),
                    None => ui.label("system roots"),
                };
                if ui.button("Trust a server CA…").clicked() {
                    commands.send(Command::Pick(Pick::ServerCa));
                }
                let mut insecure = state.insecure;
                if ui
                    .checkbox(
                        &mut insecure,
                        RichText::new("Do not verify (insecure)").color(widgets::bad(ui)),
                    )
                    .changed()
                {
                    commands.send(Command::SetInsecure(insecure));
                }
            });
            ui.end_row();
            let mut network = state.network.clone();
            network_rows(ui, &mut network);
            if network != state.network {
                commands.send(Command::SetNetwork(network));
            }
        });
    ui.horizontal(|ui| {
        let running = matches!(state.test, TestState::Running);
        if ui
            .add_enabled(
                !running,
                egui::Button::new(RichText::new("Test against hostname").strong()),
            )
            .on_hover_text("Ctrl+Enter")
            .clicked()
        {
            commands.send(Command::StartTest);
        }
        if running {
            ui.spinner();
            ui.label("Sending the request…");
            if ui.button("Cancel").clicked() {
                commands.send(Command::CancelTest);
            }
        }
        if ui
            .add_enabled(state.loaded.is_some(), egui::Button::new("Copy as curl"))
            .on_hover_text(
                "The same request as a curl command; the password stays in $CERTLENS_PASSWORD",
            )
            .clicked()
        {
            commands.send(Command::CopyCurl);
        }
        if ui
            .button("Copy echo Worker")
            .on_hover_text(
                "The Worker script to deploy on your mTLS hostname (assets/echo-worker.js)",
            )
            .clicked()
        {
            commands.send(Command::Copy(ECHO_WORKER.to_owned()));
        }
        widgets::export_button(ui, state.assessment.is_some(), commands);
    });
    ui.separator();
    match &state.test {
        TestState::Idle | TestState::Running => {}
        TestState::Failed(error) => {
            ui.colored_label(widgets::bad(ui), error);
        }
        TestState::Done(test) => result(ui, test, commands),
    }
}

/// Proxy, addresses, HTTP version and redirects, edited in `form`.
fn network_rows(ui: &mut Ui, form: &mut NetworkForm) {
    ui.label("Proxy");
    ui.horizontal(|ui| {
        egui::ComboBox::from_id_salt("proxy")
            .selected_text(match form.proxy {
                ProxyChoice::Environment => "From the environment",
                ProxyChoice::Direct => "None (direct)",
                ProxyChoice::Custom => "This proxy:",
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(
                    &mut form.proxy,
                    ProxyChoice::Environment,
                    "From the environment",
                )
                .on_hover_text("HTTPS_PROXY, ALL_PROXY and NO_PROXY, or the system's settings");
                ui.selectable_value(&mut form.proxy, ProxyChoice::Direct, "None (direct)");
                ui.selectable_value(&mut form.proxy, ProxyChoice::Custom, "This proxy:");
            })
            .response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::ComboBox, true, "Proxy"));
        if form.proxy == ProxyChoice::Custom {
            let field = ui.add(
                egui::TextEdit::singleline(&mut form.proxy_url)
                    .hint_text("http://proxy.example:3128")
                    .desired_width(260.0),
            );
            field.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Proxy URL")
            });
        }
    });
    ui.end_row();
    ui.label("Addresses");
    let field = ui.add(
        egui::TextEdit::singleline(&mut form.resolve)
            .hint_text("host:443:203.0.113.7 (test before DNS points at the edge)")
            .desired_width(420.0),
    );
    field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Addresses"));
    ui.end_row();
    ui.label("HTTP");
    ui.horizontal(|ui| {
        ui.radio_value(&mut form.http_version, HttpVersion::Auto, "h2 or HTTP/1.1");
        ui.radio_value(&mut form.http_version, HttpVersion::Http1, "HTTP/1.1 only");
        ui.radio_value(&mut form.http_version, HttpVersion::Http2, "h2 only");
        ui.checkbox(&mut form.follow, "Follow redirects");
        ui.add_enabled(
            form.follow,
            egui::Checkbox::new(&mut form.follow_any_host, "to other hosts too"),
        )
        .on_hover_text("Other hosts are then offered the client certificate");
    });
    ui.end_row();
}

fn result(ui: &mut Ui, test: &LiveTest, commands: &Commands) {
    let e = &test.exchange;
    let s = test.summary;
    let colour = if s.is_clean() {
        widgets::good(ui)
    } else {
        widgets::bad(ui)
    };
    ui.label(
        RichText::new(s.counts_line())
            .size(18.0)
            .strong()
            .color(colour),
    );
    ui.label(e.outcome_line());
    if let Some(route) = e.route_line() {
        ui.label(route);
    }
    for note in &test.notes {
        ui.colored_label(widgets::warn(ui), format!("- {note}"));
    }
    if let Some(hint) = crate::gui::hints::line(&test.remedies) {
        ui.label(hint);
    }
    if let Some(problem) = &test.echo.problem {
        ui.colored_label(widgets::bad(ui), &problem.0);
    }
    ui.add_space(6.0);
    let column = (ui.available_width() - 330.0) / 2.0;
    egui::Grid::new("comparison")
        .num_columns(4)
        .striped(true)
        .spacing([10.0, 6.0])
        .show(ui, |ui| {
            for heading in ["Field", "Local (Certlens)", "Echoed (edge)", "Verdict"] {
                ui.label(RichText::new(heading).strong());
            }
            ui.end_row();
            for row in &test.rows {
                let colour = match row.verdict {
                    Verdict::Match => widgets::good(ui),
                    Verdict::Mismatch => widgets::bad(ui),
                    Verdict::Missing => widgets::warn(ui),
                    Verdict::Unexpected => ui.visuals().weak_text_color(),
                };
                ui.label(RichText::new(&row.header).monospace())
                    .on_hover_text(&row.field);
                widgets::value_in(ui, row.local.as_deref().unwrap_or("—"), column);
                widgets::value_in(ui, row.echoed.as_deref().unwrap_or("—"), column);
                ui.colored_label(colour, RichText::new(row.verdict.name()).strong());
                ui.end_row();
                if !row.explanation.is_empty() {
                    ui.label("");
                    ui.vertical(|ui| {
                        ui.set_width(column.max(120.0));
                        ui.add(egui::Label::new(RichText::new(&row.explanation).italics()).wrap());
                    });
                    ui.label("");
                    ui.label("");
                    ui.end_row();
                }
            }
        });
    ui.add_space(8.0);
    egui::CollapsingHeader::new("TLS details")
        .default_open(false)
        .show(ui, |ui| {
            ui.label(format!(
                "Client certificate requested: {} · sent: {}",
                e.tls.client_certificate_requested, e.tls.client_certificate_sent
            ));
            if !e.tls.acceptable_cas.is_empty() {
                ui.label(format!(
                    "Acceptable CA names: {}",
                    e.tls.acceptable_cas.join("; ")
                ));
            }
            if !e.tls.signature_schemes.is_empty() {
                ui.label(format!(
                    "Signature schemes allowed: {}",
                    e.tls.signature_schemes.join(", ")
                ));
            }
            if let Some(group) = &e.tls.key_exchange {
                ui.label(format!("Key exchange: {group}"));
            }
            for hop in &e.hops {
                ui.label(format!(
                    "Redirect {}: {} → {}",
                    hop.status, hop.from, hop.to
                ));
            }
            if e.tls.server_verification_skipped {
                ui.colored_label(
                    widgets::bad(ui),
                    "The server's certificate was NOT verified.",
                );
            }
            for (i, cert) in e.tls.server_chain.iter().enumerate() {
                let cert = CertificateSummary::new(cert, Profile::Cloudflare);
                ui.label(
                    RichText::new(format!(
                        "server #{i}: {} (issuer {}, until {})",
                        cert.subject, cert.issuer, cert.not_after
                    ))
                    .monospace(),
                );
            }
        });
    egui::CollapsingHeader::new("Raw echo")
        .default_open(false)
        .show(ui, |ui| {
            widgets::copy_button(ui, commands, &test.echo_text, "the echo");
            widgets::value(ui, &test.echo_text);
        });
}
