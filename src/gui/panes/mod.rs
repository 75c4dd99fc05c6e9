//! The panes, one file each. A pane draws what the state holds and sends commands for what
//! the person asks; it cannot change the state (`fn ui(ui, &State, &Commands)`).

mod audit;
mod cloudflare;
mod details;
mod edges;
mod fields;
mod identity;
mod menu;
mod test;
mod verify;

use egui::Ui;

use super::command::{Command, Commands};
use super::state::{State, Tab};

/// Lays the window out: the top bar, the identity pane on the left, the tabs in the middle.
pub fn show(ui: &mut Ui, state: &State, commands: &Commands) {
    egui::Panel::top("menu").show(ui, |ui| menu::ui(ui, state, commands));
    egui::Panel::left("load")
        .default_size(330.0)
        .min_size(260.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| identity::ui(ui, state, commands));
        });
    egui::CentralPanel::default().show(ui, |ui| {
        ui.horizontal(|ui| {
            for (tab, label) in [
                (Tab::Fields, "Fields"),
                (Tab::Verify, "Verify"),
                (Tab::Test, "Live test"),
                (Tab::Cloudflare, "Cloudflare setup"),
                (Tab::Edges, "Every edge"),
                (Tab::Details, "Details"),
                (Tab::Audit, "Audit"),
            ] {
                if ui.selectable_label(state.tab == tab, label).clicked() {
                    commands.send(Command::ShowTab(tab));
                }
            }
        });
        ui.separator();
        egui::ScrollArea::vertical()
            .auto_shrink([false, false])
            .show(ui, |ui| match state.tab {
                Tab::Fields => fields::ui(ui, state, commands),
                Tab::Verify => verify::ui(ui, state, commands),
                Tab::Test => test::ui(ui, state, commands),
                Tab::Edges => edges::ui(ui, state, commands),
                Tab::Details => details::ui(ui, state, commands),
                Tab::Audit => audit::ui(ui, state, commands),
                Tab::Cloudflare => cloudflare::ui(ui, state, commands),
            });
    });
}
