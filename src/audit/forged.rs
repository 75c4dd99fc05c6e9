//! Forged certificate headers: what every edge Certlens knows would send for a certificate no CA
//! issued, sent by the client itself. An edge that passes them through unchanged lets a client
//! tell the application whatever it likes.

use crate::assess::Trust;
use crate::fields::Profile;

use super::twins::{self, TwinError};

/// The subject every forged value names, so an echo that carries it is recognisable.
pub const FORGED_COMMON_NAME: &str = "certlens-forged-client";

/// Headers every client-certificate header convention would carry for a certificate of
/// [`FORGED_COMMON_NAME`], one per name (the first profile to name a header wins); only values
/// that can travel in a header line.
pub fn headers() -> Result<Vec<(String, String)>, TwinError> {
    let forged = twins::forged_identity(FORGED_COMMON_NAME)?;
    let trust = Trust::default();
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut add = |name: &str, value: &str| {
        let travels = !value.is_empty() && value.bytes().all(|b| (0x20..0x7F).contains(&b));
        if travels && !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            headers.push((name.to_owned(), value.to_owned()));
        }
    };
    for profile in Profile::ALL {
        let view = trust.assess(&forged, profile).view;
        for (name, value) in &view.edge.headers {
            add(name, value);
        }
    }
    // The verdict a proxy would claim, in the words the edges use.
    add("X-CERT-VERIFY", "SUCCESS");
    add("X-SSL-Client-Verify", "0");
    add("Cf-Client-Cert-Verified", "true");
    add("X-Client-Verify", "SUCCESS");
    Ok(headers)
}
