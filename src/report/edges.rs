//! The every-edge table: one certificate's values laid out edge by edge, aspect by aspect,
//! each distinct spelling of an aspect given its own letter so the differences stand out.

use serde::Serialize;

use crate::fields::profiles::{Aspect, Basis};
use crate::fields::{EdgeView, FieldValue, Profile};

use super::escape::terminal_line;
use super::fields::shorten;

/// One edge's value in the table.
#[derive(Debug, Clone, Serialize)]
pub struct EdgeRow {
    /// The edge.
    pub profile: Profile,
    /// Where the value travels (`Header` or `Header Part`).
    pub label: String,
    /// The value, or `None` when it cannot be computed offline.
    pub value: Option<String>,
    /// Why it is not computed, when it is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'static str>,
    /// What confirms the spelling.
    pub basis: Basis,
    /// Which spelling of the aspect this is: rows with the same number spell it the same way.
    pub spelling: usize,
}

/// Every edge's rows for one aspect.
#[derive(Debug, Clone, Serialize)]
pub struct AspectRows {
    /// What the rows say.
    pub aspect: Aspect,
    /// The aspect as a person names it.
    pub title: &'static str,
    /// How many different spellings the edges use.
    pub spellings: usize,
    /// One row per edge value, in profile order.
    pub rows: Vec<EdgeRow>,
}

/// `fields --profile all`: the table and whatever any edge would refuse.
#[derive(Debug, Clone, Serialize)]
pub struct EveryEdge {
    /// The profiles, in table order.
    pub profiles: Vec<&'static str>,
    /// The aspects any edge sends, in table order.
    pub aspects: Vec<AspectRows>,
    /// Warnings, each naming its profile.
    pub warnings: Vec<String>,
}

impl EveryEdge {
    /// Lays out `views` (one per profile) aspect by aspect.
    pub fn new(views: &[EdgeView]) -> Self {
        let mut aspects = Vec::new();
        for aspect in Aspect::ALL {
            let mut seen: Vec<Option<String>> = Vec::new();
            let mut rows = Vec::new();
            for view in views {
                for value in view.edge.values.iter().filter(|v| v.aspect == aspect) {
                    let text = value.value.as_header_value();
                    let spelling = match seen.iter().position(|s| *s == text) {
                        Some(i) => i,
                        None => {
                            seen.push(text.clone());
                            seen.len() - 1
                        }
                    };
                    rows.push(EdgeRow {
                        profile: view.profile,
                        label: value.label(),
                        value: text,
                        reason: match value.value {
                            FieldValue::NotComputed(reason) => Some(reason),
                            _ => None,
                        },
                        basis: value.basis,
                        spelling,
                    });
                }
            }
            if !rows.is_empty() {
                aspects.push(AspectRows {
                    aspect,
                    title: aspect.title(),
                    spellings: seen.len(),
                    rows,
                });
            }
        }
        let mut warnings: Vec<String> = Vec::new();
        for view in views {
            for warning in &view.warnings {
                if !warnings.contains(warning) {
                    warnings.push(warning.clone());
                }
            }
        }
        Self {
            profiles: views.iter().map(|v| v.profile.name()).collect(),
            aspects,
            warnings,
        }
    }

    /// The table as text: per aspect, one line per edge value, `[a]`, `[b]`, … marking each
    /// spelling; values confirmed only by documentation marked `(doc)`.
    pub fn text(&self) -> String {
        let profile_width = self.profiles.iter().map(|p| p.len()).max().unwrap_or(0);
        let label_width = self
            .aspects
            .iter()
            .flat_map(|a| a.rows.iter())
            .map(|r| r.label.chars().count())
            .max()
            .unwrap_or(0)
            .min(48);
        let mut out = String::new();
        for aspect in &self.aspects {
            let spellings = match aspect.spellings {
                1 => "one spelling".to_owned(),
                n => format!("{n} spellings"),
            };
            out.push_str(&format!("\n{} ({spellings})\n", aspect.title));
            for row in &aspect.rows {
                let letter = spelling_letter(row.spelling);
                let value = match (&row.value, row.reason) {
                    (Some(value), _) => shorten(value),
                    (None, Some(reason)) => format!("({reason})"),
                    (None, None) => String::new(),
                };
                let doc = if row.basis.is_confirmed() {
                    ""
                } else {
                    "  (doc)"
                };
                out.push_str(&format!(
                    "  [{letter}] {:<profile_width$}  {:<label_width$}  {}{doc}\n",
                    row.profile.name(),
                    terminal_line(&row.label),
                    terminal_line(&value),
                ));
            }
        }
        out.push_str("\n(doc): only the vendor's documentation says so; unconfirmed by a server or source code\n");
        if !self.warnings.is_empty() {
            out.push_str("\nWarnings\n");
            for warning in &self.warnings {
                out.push_str(&format!("  ! {}\n", terminal_line(warning)));
            }
        }
        out
    }

    /// Every edge's header lines, one block per profile.
    pub fn header_blocks(views: &[EdgeView]) -> String {
        views
            .iter()
            .map(|view| {
                format!(
                    "# {} ({})\n{}",
                    view.profile.name(),
                    view.profile.title(),
                    super::header_lines(view)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// `a`, `b`, … `z`, then `27`, `28`, …
pub fn spelling_letter(index: usize) -> String {
    match u8::try_from(index) {
        Ok(i) if i < 26 => char::from(b'a' + i).to_string(),
        _ => (index + 1).to_string(),
    }
}
