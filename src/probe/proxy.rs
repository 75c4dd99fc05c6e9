//! Which proxy carries the request: the environment's (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`,
//! and the system's settings on Windows and macOS), one given by the user, or none.
//!
//! The decision is made here, with the same matcher reqwest itself uses
//! (`hyper_util::client::proxy::matcher`), and reqwest is then given exactly that proxy, so the
//! output can say which proxy carried the request.

use hyper_util::client::proxy::matcher::{Intercept, Matcher};

use super::ProbeError;

/// The user's proxy choice.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum ProxySetting {
    /// The environment's variables (and the system's settings where reqwest reads them).
    #[default]
    Environment,
    /// No proxy at all (`--no-proxy`).
    Direct,
    /// This proxy, whatever the environment says (`--proxy URL`): `http://`, `https://`,
    /// `socks5://` or `socks5h://`, with `user:password@` if it needs credentials.
    Url(String),
}

/// The proxy URL without its credentials.
impl std::fmt::Debug for ProxySetting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProxySetting::Environment => f.write_str("Environment"),
            ProxySetting::Direct => f.write_str("Direct"),
            ProxySetting::Url(url) => f
                .debug_tuple("Url")
                .field(&without_credentials(url))
                .finish(),
        }
    }
}

/// The proxy chosen for one URL.
#[derive(Clone)]
pub struct ProxyRoute {
    intercept: Intercept,
    /// The proxy's URL without credentials (`http://proxy.example:3128`).
    pub display: String,
    /// Where the setting came from (`HTTPS_PROXY`, `--proxy`, the system settings).
    pub source: String,
}

impl std::fmt::Debug for ProxyRoute {
    // The intercept holds the credentials: they are not printed.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProxyRoute")
            .field("display", &self.display)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl ProxyRoute {
    /// True for a SOCKS proxy (which carries TCP, not HTTP CONNECT).
    pub fn is_socks(&self) -> bool {
        self.intercept
            .uri()
            .scheme_str()
            .is_some_and(|s| s.starts_with("socks"))
    }

    /// The proxy as reqwest takes it, credentials included.
    pub(super) fn to_reqwest(&self) -> Result<reqwest::Proxy, ProbeError> {
        let uri = self.intercept.uri();
        let bad = |e: reqwest::Error| ProbeError::BadProxy(format!("{}: {e}", self.display));
        let proxy = match self.intercept.raw_auth() {
            Some((user, password)) => {
                let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
                let url = format!(
                    "{}://{}:{}@{authority}",
                    uri.scheme_str().unwrap_or("socks5"),
                    encode_userinfo(user),
                    encode_userinfo(password)
                );
                reqwest::Proxy::all(url).map_err(bad)?
            }
            None => reqwest::Proxy::all(uri.to_string()).map_err(bad)?,
        };
        Ok(match self.intercept.basic_auth() {
            Some(header) => proxy.custom_http_auth(header.clone()),
            None => proxy,
        })
    }
}

/// The proxy `setting` chooses for `url`, or `None` for a direct connection.
pub fn choose(setting: &ProxySetting, url: &url::Url) -> Result<Option<ProxyRoute>, ProbeError> {
    let uri: hyper::Uri = url
        .as_str()
        .parse()
        .map_err(|e| ProbeError::BadUrl(format!("`{url}` is not a URL: {e}")))?;
    match setting {
        ProxySetting::Direct => Ok(None),
        ProxySetting::Url(text) => {
            let intercept = Matcher::builder()
                .all(with_encoded_userinfo(text))
                .build()
                .intercept(&uri)
                .ok_or_else(|| {
                    ProbeError::BadProxy(format!(
                        "`{}` is not a proxy URL; write http://host:port, https://host:port or socks5://host:port",
                        without_credentials(text)
                    ))
                })?;
            Ok(Some(route(intercept, GIVEN.to_owned())))
        }
        ProxySetting::Environment => Ok(Matcher::from_system()
            .intercept(&uri)
            .map(|intercept| route(intercept, environment_source()))),
    }
}

fn route(intercept: Intercept, source: String) -> ProxyRoute {
    let uri = intercept.uri();
    let display = format!(
        "{}://{}",
        uri.scheme_str().unwrap_or("http"),
        uri.authority().map(|a| a.as_str()).unwrap_or_default()
    );
    ProxyRoute {
        intercept,
        display,
        source,
    }
}

/// Which variable gave an https:// URL its proxy, in the order the matcher reads them.
/// The source of a proxy set for this request itself (on the command line or in the window),
/// not taken from the environment.
pub const GIVEN: &str = "given";

fn environment_source() -> String {
    for names in [["HTTPS_PROXY", "https_proxy"], ["ALL_PROXY", "all_proxy"]] {
        if let Some(name) = names.iter().find(|n| std::env::var(n).is_ok())
            && std::env::var(name).is_ok_and(|v| !v.is_empty())
        {
            return (*name).to_owned();
        }
    }
    "the system's proxy settings".to_owned()
}

/// A proxy URL (or what a person typed for one) cut at its credentials: the scheme with its
/// `://` (if any), the `user:password` (if any) and the rest. The credentials end at the
/// **last** `@`, not where a URL parser would end the authority: a password with an unencoded
/// `/`, `?`, `#` or `@` is still all credentials.
pub fn split_userinfo(text: &str) -> (&str, Option<&str>, &str) {
    let (scheme, rest) = match text.find("://") {
        Some(end) => text.split_at(end + 3),
        None => ("", text),
    };
    match rest.rfind('@') {
        Some(at) => (scheme, Some(&rest[..at]), &rest[at + 1..]),
        None => (scheme, None, rest),
    }
}

/// `text` with any `user:password@` in it replaced by `***@` (for messages).
pub fn without_credentials(text: &str) -> String {
    match split_userinfo(text) {
        (scheme, Some(_), rest) => format!("{scheme}***@{rest}"),
        (_, None, _) => text.to_owned(),
    }
}

/// `text` with the characters of its credentials ([`split_userinfo`]) that would end them
/// early for a URL parser (`/ ? # @ [ ]`, spaces, controls, non-ASCII) percent-encoded, so the
/// request goes to the proxy the person meant, with the password they typed. What is already
/// percent-encoded stays as it is.
fn with_encoded_userinfo(text: &str) -> String {
    let (scheme, Some(userinfo), rest) = split_userinfo(text) else {
        return text.to_owned();
    };
    let encoded: String = userinfo
        .bytes()
        .map(|b| {
            if b.is_ascii_graphic() && !b"/?#@[]".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("{scheme}{encoded}@{rest}")
}

fn encode_userinfo(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_never_appear_in_what_is_shown() {
        assert_eq!(
            without_credentials("http://alice:s3cret@proxy:3128"),
            "http://***@proxy:3128"
        );
        assert_eq!(
            without_credentials("proxy.example:3128"),
            "proxy.example:3128"
        );
        // Whatever a URL parser would make of the password.
        for (typed, shown) in [
            ("http://u:pa/ss@h:3128", "http://***@h:3128"),
            ("alice:pw@proxy:3128", "***@proxy:3128"),
            ("socks5://u:p@ss?#x@h:1080", "socks5://***@h:1080"),
        ] {
            assert_eq!(without_credentials(typed), shown, "{typed}");
        }
        assert_eq!(
            with_encoded_userinfo("socks5://u:p@s/s?#x@h:1080"),
            "socks5://u:p%40s%2Fs%3F%23x@h:1080"
        );
        assert_eq!(
            with_encoded_userinfo("http://u:a%2Fb@h"),
            "http://u:a%2Fb@h"
        );
        let url = url::Url::parse("https://edge.example/").unwrap();
        let route = choose(
            &ProxySetting::Url("http://alice:s3cret@127.0.0.1:3128".into()),
            &url,
        )
        .unwrap()
        .unwrap();
        assert_eq!(route.display, "http://127.0.0.1:3128");
        assert!(!format!("{route:?}").contains("s3cret"));
        assert!(route.to_reqwest().is_ok());
    }

    #[test]
    fn a_proxy_that_is_not_a_url_is_refused_by_name() {
        let url = url::Url::parse("https://edge.example/").unwrap();
        let error = choose(&ProxySetting::Url("ftp://u:pw@x:21".into()), &url).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("not a proxy URL"), "{text}");
        assert!(!text.contains("pw"), "{text}");
        assert!(choose(&ProxySetting::Direct, &url).unwrap().is_none());
    }
}
