//! The command line's words for the library's remedies: the flag that makes each change.

use crate::probe::{ProbeError, Remedy};

/// The flag (and what to give it) that makes `remedy`'s change.
pub(super) fn flag(remedy: Remedy) -> String {
    match remedy {
        Remedy::TrustServerCa => "--server-ca FILE (the server's CA)".to_owned(),
        Remedy::SkipServerCheck => "--insecure (skips checking the server)".to_owned(),
        Remedy::BypassProxy => "--no-proxy".to_owned(),
        Remedy::UseHttp1 => "--http1.1".to_owned(),
        Remedy::NegotiateHttpVersion => "neither --http1.1 nor --http2".to_owned(),
        Remedy::LongerTimeout => "a longer --timeout SECONDS".to_owned(),
        Remedy::FollowRedirects => "--follow".to_owned(),
        Remedy::TryCurl => "--print-curl (the same request with curl)".to_owned(),
        Remedy::ChooseProfile(profile) => format!("--profile {}", profile.name()),
    }
}

/// `hint: run again with …` lines for `remedies`, or nothing.
pub(super) fn lines(remedies: &[Remedy]) -> String {
    if remedies.is_empty() {
        return String::new();
    }
    let flags: Vec<String> = remedies.iter().map(|r| flag(*r)).collect();
    format!("hint: run again with {}\n", flags.join(", or "))
}

/// The error with the flags that may get past it.
pub(super) fn with_flags(error: ProbeError) -> anyhow::Error {
    let hint = lines(&error.remedies());
    if hint.is_empty() {
        anyhow::Error::new(error)
    } else {
        anyhow::anyhow!("{error}\n{}", hint.trim_end())
    }
}
