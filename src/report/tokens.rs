//! The shapes of `certlens tokens` output: every module, token and certificate, each with the
//! URI that opens it.

use serde::Serialize;

use crate::fields::Profile;
use crate::identity::token::{KeyPresence, ModuleListing, PinState};

use super::chain::CertificateSummary;
use super::escape::terminal_line;

/// The `tokens --format json` array: one object per module.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModuleDocument {
    name: String,
    path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    tokens: Vec<TokenDocument>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenDocument {
    slot: u64,
    label: String,
    manufacturer: String,
    model: String,
    serial: String,
    pin: PinState,
    logged_in: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    certificates: Vec<CertificateDocument>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct CertificateDocument {
    label: String,
    id: String,
    uri: String,
    key: KeyPresence,
    #[serde(flatten)]
    summary: CertificateSummary,
}

/// Every module as the JSON has it.
pub fn tokens_document(listings: &[ModuleListing]) -> Vec<ModuleDocument> {
    listings
        .iter()
        .map(|listing| ModuleDocument {
            name: listing.module.name.clone(),
            path: listing.module.path.display().to_string(),
            error: listing.error.clone(),
            tokens: listing
                .tokens
                .iter()
                .map(|token| TokenDocument {
                    slot: token.slot_id,
                    label: token.label.clone(),
                    manufacturer: token.manufacturer.clone(),
                    model: token.model.clone(),
                    serial: token.serial.clone(),
                    pin: token.pin,
                    logged_in: token.logged_in,
                    error: token.error.clone(),
                    certificates: token
                        .certificates
                        .iter()
                        .map(|c| CertificateDocument {
                            label: c.label.clone(),
                            id: crate::certificate::hex::lower(&c.id),
                            uri: c.uri.clone(),
                            key: c.key,
                            summary: CertificateSummary::new(&c.certificate, Profile::Cloudflare),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// Whether the key is there, in words.
pub fn key_presence_text(key: KeyPresence) -> &'static str {
    match key {
        KeyPresence::Yes => "key: yes",
        KeyPresence::No => "key: none on the token",
        KeyPresence::PublicKeyOnly => {
            "key: a public key with this id (the private key shows after login)"
        }
        KeyPresence::AfterLogin => "key: private keys show after login",
    }
}

/// The PIN's state, in words.
pub fn pin_text(pin: PinState) -> &'static str {
    match pin {
        PinState::Ok => "PIN ok",
        PinState::CountLow => "PIN: few tries left",
        PinState::FinalTry => "PIN: ONE try left",
        PinState::Locked => "PIN locked",
        PinState::PinPad => "PIN on the token's own pad",
    }
}

/// The human-readable listing.
pub fn tokens_text(listings: &[ModuleListing]) -> String {
    let mut out = String::new();
    for listing in listings {
        out.push_str(&format!(
            "module {} ({})\n",
            terminal_line(&listing.module.name),
            terminal_line(&listing.module.path.display().to_string())
        ));
        if let Some(error) = &listing.error {
            out.push_str(&format!("  not readable: {}\n", terminal_line(error)));
        }
        if listing.error.is_none() && listing.tokens.is_empty() {
            out.push_str("  no token present\n");
        }
        for token in &listing.tokens {
            out.push_str(&format!(
                "  slot {}: token “{}” ({} {}, serial {}), {}{}\n",
                token.slot_id,
                terminal_line(&token.label),
                terminal_line(&token.manufacturer),
                terminal_line(&token.model),
                terminal_line(&token.serial),
                pin_text(token.pin),
                if token.logged_in { ", logged in" } else { "" }
            ));
            if let Some(error) = &token.error {
                out.push_str(&format!("    not readable: {}\n", terminal_line(error)));
            } else if token.certificates.is_empty() {
                out.push_str("    no certificate\n");
            }
            for certificate in &token.certificates {
                let summary =
                    CertificateSummary::new(&certificate.certificate, Profile::Cloudflare);
                out.push_str(&format!(
                    "    certificate “{}” id {}: {}\n      issuer {}, expires {}, {}\n      {}\n",
                    terminal_line(&certificate.label),
                    crate::certificate::hex::lower(&certificate.id),
                    terminal_line(&summary.subject),
                    terminal_line(&summary.issuer),
                    summary.not_after,
                    key_presence_text(certificate.key),
                    terminal_line(&certificate.uri)
                ));
            }
        }
    }
    out
}
