//! The window's words for the library's remedies: the control that makes each change.

use crate::probe::{ProbeError, Remedy};

/// Where in the window `remedy`'s change is made.
pub fn control(remedy: Remedy) -> String {
    match remedy {
        Remedy::TrustServerCa => "Trust a server CA… (Live test, Server certificate)".to_owned(),
        Remedy::SkipServerCheck => "Do not verify (insecure), beside it".to_owned(),
        Remedy::BypassProxy => "Proxy: None (direct)".to_owned(),
        Remedy::UseHttp1 => "HTTP: HTTP/1.1 only".to_owned(),
        Remedy::NegotiateHttpVersion => "HTTP: h2 or HTTP/1.1".to_owned(),
        Remedy::LongerTimeout => {
            "Test against hostname again once the server answers faster".to_owned()
        }
        Remedy::FollowRedirects => "Follow redirects".to_owned(),
        Remedy::TryCurl => "Copy as curl, and run it over HTTP/1.1".to_owned(),
        Remedy::ChooseProfile(profile) => format!("Profile: {}", profile.title()),
    }
}

/// `Try: …` for `remedies`, or nothing.
pub fn line(remedies: &[Remedy]) -> Option<String> {
    (!remedies.is_empty()).then(|| {
        let controls: Vec<String> = remedies.iter().map(|r| control(*r)).collect();
        format!("Try: {}.", controls.join("; or "))
    })
}

/// The error, with the controls that may get past it.
pub fn describe(error: &ProbeError) -> String {
    match line(&error.remedies()) {
        Some(hint) => format!("{error}\n{hint}"),
        None => error.to_string(),
    }
}

/// Why the Cloudflare setup check could not be made, with the control to change.
pub fn describe_setup(error: &crate::edge_setup::cloudflare::SetupError) -> String {
    use crate::edge_setup::cloudflare::{ApiError, SetupError};
    let hint = match error {
        SetupError::Api(ApiError::PermissionMissing { .. }) => {
            Some("Add the permission to the token (My Profile > API Tokens), then check again.")
        }
        SetupError::Api(ApiError::TokenRefused { .. }) | SetupError::TokenInactive { .. } => {
            Some("Paste a valid read-only token in API token.")
        }
        SetupError::InvalidUrl { .. } => {
            Some("Set the hostname's https:// URL on the Live test tab.")
        }
        SetupError::Api(ApiError::InvalidBase { .. }) => Some("Correct API base (Advanced)."),
        _ => None,
    };
    match hint {
        Some(hint) => format!("{error}\n{hint}"),
        None => error.to_string(),
    }
}
