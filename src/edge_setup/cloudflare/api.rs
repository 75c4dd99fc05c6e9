//! Reading the Cloudflare API: the envelope every answer comes in, both list shapes (a single
//! page, and `page`/`per_page` pages), and its refusals as typed errors. Only `GET` is sent.

use std::time::Duration;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::token::ApiToken;
use crate::limits;

/// Where the API is, unless another base is given.
pub const DEFAULT_API_BASE: &str = "https://api.cloudflare.com/client/v4";

/// The token permission an endpoint needs, as the dashboard names it.
pub type Permission = &'static str;

/// Why a call gave no answer to use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiError {
    /// The base URL is not https (nor http on this machine).
    #[error("the API base {base} cannot be used: {reason}")]
    InvalidBase {
        /// The base given.
        base: String,
        /// Why not.
        reason: &'static str,
    },
    /// No answer came (DNS, connection, TLS, timeout).
    #[error("no answer from the API for {path}: {detail}")]
    Network {
        /// The call.
        path: String,
        /// What failed.
        detail: String,
    },
    /// The token was refused as a whole.
    #[error("the API refused the token ({detail})")]
    TokenRefused {
        /// The API's own messages.
        detail: String,
    },
    /// The token works but lacks the permission this call needs.
    #[error("the token lacks the permission {permission} (needed for {path})")]
    PermissionMissing {
        /// The call.
        path: String,
        /// The permission, as the dashboard names it.
        permission: Permission,
    },
    /// The resource does not exist (HTTP 404).
    #[error("{path}: not found")]
    NotFound {
        /// The call.
        path: String,
    },
    /// Another refusal.
    #[error("{path}: HTTP {status} ({detail})")]
    Refused {
        /// The call.
        path: String,
        /// The HTTP status.
        status: u16,
        /// The API's own messages.
        detail: String,
    },
    /// The answer is not the documented shape.
    #[error("{path}: the answer is not what the API documents ({detail})")]
    Malformed {
        /// The call.
        path: String,
        /// What did not fit.
        detail: String,
    },
    /// The answer is larger than any the check expects.
    #[error("{path}: the answer is larger than {limit} bytes")]
    TooLarge {
        /// The call.
        path: String,
        /// The limit.
        limit: usize,
    },
}

/// One message of the envelope's `errors`.
#[derive(Debug, Clone, Deserialize)]
struct Message {
    #[serde(default)]
    code: i64,
    #[serde(default)]
    message: String,
}

/// The envelope: `{success, errors, messages, result, result_info}`.
#[derive(Debug, Deserialize)]
struct Envelope {
    #[serde(default)]
    success: bool,
    #[serde(default)]
    errors: Vec<Message>,
    #[serde(default)]
    result: serde_json::Value,
    #[serde(default)]
    result_info: Option<ResultInfo>,
}

/// `result_info` of a paged list.
#[derive(Debug, Default, Deserialize)]
struct ResultInfo {
    #[serde(default)]
    total_count: Option<u64>,
    #[serde(default)]
    total_pages: Option<u64>,
}

/// A client of the API with one token.
pub struct Api {
    base: url::Url,
    token: ApiToken,
    client: reqwest::Client,
}

impl std::fmt::Debug for Api {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Api")
            .field("base", &self.base.as_str())
            .finish()
    }
}

/// How many items a page asks for (the documented maximum).
const PER_PAGE: u64 = 50;

impl Api {
    /// A client for `base` (https, or http to this machine only), the server checked against
    /// the system's roots, proxies as the system sets them.
    pub fn new(base: &str, token: ApiToken, timeout: Duration) -> Result<Self, ApiError> {
        let invalid = |reason| ApiError::InvalidBase {
            base: base.to_owned(),
            reason,
        };
        let mut parsed = url::Url::parse(base).map_err(|_| invalid("it is not a URL"))?;
        match parsed.scheme() {
            "https" => {}
            "http" if is_loopback(&parsed) => {}
            "http" => return Err(invalid("http is allowed only to this machine (loopback)")),
            _ => return Err(invalid("it is not an https URL")),
        }
        if !parsed.path().ends_with('/') {
            let path = format!("{}/", parsed.path());
            parsed.set_path(&path);
        }
        let tls =
            crate::probe::raw_tls_config(None, &crate::probe::ServerTrust::Verify(Vec::new()))
                .map_err(|e| ApiError::Network {
                    path: String::new(),
                    detail: e.to_string(),
                })?;
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .user_agent(concat!("certlens/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(timeout)
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .retry(reqwest::retry::never())
            .referer(false)
            .build()
            .map_err(|e| ApiError::Network {
                path: String::new(),
                detail: e.to_string(),
            })?;
        Ok(Self {
            base: parsed,
            token,
            client,
        })
    }

    /// `GET path?query`: the envelope's `result`.
    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        permission: Permission,
    ) -> Result<T, ApiError> {
        let envelope = self.call(path, query, permission).await?;
        parse(path, envelope.result)
    }

    /// A paged list (`page`, `per_page`): every item, page after page, until an empty page or
    /// the count the API gives is reached. A list that arrives whole (no `result_info`) is read
    /// as it is.
    pub async fn list<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, String)],
        permission: Permission,
    ) -> Result<Vec<T>, ApiError> {
        let mut items = Vec::new();
        for page in 1..=limits::MAX_API_PAGES {
            let mut paged = query.to_vec();
            paged.push(("page", page.to_string()));
            paged.push(("per_page", PER_PAGE.to_string()));
            let envelope = self.call(path, &paged, permission).await?;
            let batch: Vec<T> = parse(path, envelope.result)?;
            let received = batch.len() as u64;
            items.extend(batch);
            let Some(info) = envelope.result_info else {
                return Ok(items);
            };
            let done = received == 0
                || info.total_pages.is_some_and(|pages| page >= pages)
                || info
                    .total_count
                    .is_some_and(|total| page * PER_PAGE >= total || items.len() as u64 >= total);
            if done {
                return Ok(items);
            }
        }
        Err(ApiError::TooLarge {
            path: path.to_owned(),
            limit: (limits::MAX_API_PAGES * PER_PAGE) as usize,
        })
    }

    async fn call(
        &self,
        path: &str,
        query: &[(&str, String)],
        permission: Permission,
    ) -> Result<Envelope, ApiError> {
        let mut url =
            self.base
                .join(path.trim_start_matches('/'))
                .map_err(|e| ApiError::Malformed {
                    path: path.to_owned(),
                    detail: e.to_string(),
                })?;
        if !query.is_empty() {
            url.query_pairs_mut()
                .extend_pairs(query.iter().map(|(k, v)| (k, v)));
        }
        let network = |e: reqwest::Error| ApiError::Network {
            path: path.to_owned(),
            detail: self.token.redact(&error_chain(&e)),
        };
        let mut response = self
            .client
            .get(url)
            .header(reqwest::header::AUTHORIZATION, self.token.header())
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(network)?;
        let status = response.status().as_u16();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(network)? {
            if body.len() + chunk.len() > limits::MAX_API_RESPONSE {
                return Err(ApiError::TooLarge {
                    path: path.to_owned(),
                    limit: limits::MAX_API_RESPONSE,
                });
            }
            body.extend_from_slice(&chunk);
        }
        let envelope: Option<Envelope> = serde_json::from_slice(&body).ok();
        let messages: Vec<String> = envelope
            .iter()
            .flat_map(|e| &e.errors)
            .map(|m| format!("{} {}", m.code, m.message))
            .collect();
        let detail = || {
            let text = if messages.is_empty() {
                "no message".to_owned()
            } else {
                messages.join("; ")
            };
            self.token.redact(&text)
        };
        match status {
            200..=299 => {}
            401 => return Err(ApiError::TokenRefused { detail: detail() }),
            403 => {
                return Err(ApiError::PermissionMissing {
                    path: path.to_owned(),
                    permission,
                });
            }
            404 => {
                return Err(ApiError::NotFound {
                    path: path.to_owned(),
                });
            }
            _ => {
                return Err(ApiError::Refused {
                    path: path.to_owned(),
                    status,
                    detail: detail(),
                });
            }
        }
        let Some(envelope) = envelope else {
            return Err(ApiError::Malformed {
                path: path.to_owned(),
                detail: "not a JSON envelope".to_owned(),
            });
        };
        if !envelope.success {
            return Err(ApiError::Refused {
                path: path.to_owned(),
                status,
                detail: detail(),
            });
        }
        Ok(envelope)
    }
}

fn parse<T: DeserializeOwned>(path: &str, value: serde_json::Value) -> Result<T, ApiError> {
    serde_json::from_value(value).map_err(|e| ApiError::Malformed {
        path: path.to_owned(),
        detail: e.to_string(),
    })
}

/// An error and its causes, one after the other.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token() -> ApiToken {
        ApiToken::new("t").unwrap()
    }

    #[test]
    fn the_base_is_https_or_loopback_http() {
        let second = Duration::from_secs(1);
        assert!(Api::new("https://api.cloudflare.com/client/v4", token(), second).is_ok());
        assert!(Api::new("http://127.0.0.1:8080/client/v4", token(), second).is_ok());
        assert!(Api::new("http://[::1]:8080/", token(), second).is_ok());
        assert!(matches!(
            Api::new("http://api.example.com/", token(), second),
            Err(ApiError::InvalidBase { .. })
        ));
        assert!(matches!(
            Api::new("ftp://127.0.0.1/", token(), second),
            Err(ApiError::InvalidBase { .. })
        ));
    }
}
