//! Passwords: held in memory that is wiped on drop, never shown, never logged.

use zeroize::Zeroizing;

/// A password for a PKCS#12 file or an encrypted key (or a token's PIN); for a Java keystore,
/// the store password, with the keys' own when it differs.
#[derive(Clone, Default)]
pub struct Password(Zeroizing<String>, Option<Zeroizing<String>>);

impl Password {
    /// Wraps a password; the caller's copy should be dropped (or zeroized) too.
    pub fn new(text: impl Into<String>) -> Self {
        Self(Zeroizing::new(text.into()), None)
    }

    /// This password, with `key` for a keystore's keys.
    pub fn with_key_password(mut self, key: impl Into<String>) -> Self {
        self.1 = Some(Zeroizing::new(key.into()));
        self
    }

    /// The keystore keys' password: the one given for them, else this one.
    pub fn key_password(&self) -> &str {
        self.1.as_deref().map(String::as_str).unwrap_or(&self.0)
    }

    /// Reads the first line of a password file (without its line ending).
    pub fn from_file_contents(contents: &str) -> Self {
        let first = contents.lines().next().unwrap_or("");
        Self::new(first.trim_end_matches('\r'))
    }

    /// The secret text. Hand it only to a decoder.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True for the empty password.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_password() {
        let password = Password::new("hunter2");
        assert!(!format!("{password:?}").contains("hunter2"));
    }

    #[test]
    fn password_file_takes_the_first_line_only() {
        assert_eq!(
            Password::from_file_contents("pässwörd\r\nsecond\n").expose(),
            "pässwörd"
        );
        assert_eq!(Password::from_file_contents("").expose(), "");
    }
}
