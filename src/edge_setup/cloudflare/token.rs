//! The API token: held zeroized, never printed.

use zeroize::Zeroizing;

/// A Cloudflare API token. Its `Debug` shows nothing of it; it is sent only in the
/// `Authorization` header, marked sensitive.
pub struct ApiToken(Zeroizing<String>);

impl std::fmt::Debug for ApiToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiToken(…)")
    }
}

/// Why a token cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Nothing was given.
    #[error("the API token is empty")]
    Empty,
    /// It holds a character no token has (tokens are printable ASCII).
    #[error(
        "the API token holds a character no Cloudflare token has (a space or a non-ASCII character)"
    )]
    NotPrintable,
}

impl ApiToken {
    /// The token, from the first line of what was read (surrounding white space dropped).
    pub fn new(text: &str) -> Result<Self, TokenError> {
        let token = text.lines().next().unwrap_or_default().trim();
        if token.is_empty() {
            return Err(TokenError::Empty);
        }
        if !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(TokenError::NotPrintable);
        }
        Ok(Self(Zeroizing::new(token.to_owned())))
    }

    /// The `Authorization` header's value, marked sensitive (never logged by the HTTP stack).
    pub(super) fn header(&self) -> reqwest::header::HeaderValue {
        let value = Zeroizing::new(format!("Bearer {}", self.0.as_str()));
        // Printable ASCII only (checked in `new`), so the header value is valid.
        let mut header = reqwest::header::HeaderValue::from_str(&value)
            .unwrap_or_else(|_| reqwest::header::HeaderValue::from_static("Bearer"));
        header.set_sensitive(true);
        header
    }

    /// `text` with every occurrence of the token replaced, for anything a server sent back.
    pub(super) fn redact(&self, text: &str) -> String {
        text.replace(self.0.as_str(), "[token]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_never_shown() {
        let token = ApiToken::new("  abcDEF_123-xyz\nsecond line").unwrap();
        assert_eq!(format!("{token:?}"), "ApiToken(…)");
        assert!(token.header().is_sensitive());
        assert_eq!(token.header().to_str().unwrap(), "Bearer abcDEF_123-xyz");
        assert_eq!(token.redact("bad abcDEF_123-xyz!"), "bad [token]!");
        assert_eq!(ApiToken::new(" \n").unwrap_err(), TokenError::Empty);
        assert_eq!(ApiToken::new("a b").unwrap_err(), TokenError::NotPrintable);
    }
}
