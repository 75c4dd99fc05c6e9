//! Which proxy carries the request: the environment's (`HTTPS_PROXY`, `ALL_PROXY`, `NO_PROXY`,
//! and the system's settings on Windows and macOS), one given by the user, or none.
//!
//! The decision is made here, with the same matcher reqwest itself uses
//! (`hyper_util::client::proxy::matcher`), and reqwest is then given exactly that proxy, so the
//! output can say which proxy carried the request.

use hyper_util::client::proxy::matcher::{Intercept, Matcher};

use super::ProbeError;

/// The user's proxy choice.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
                .all(text.clone())
                .build()
                .intercept(&uri)
                .ok_or_else(|| {
                    ProbeError::BadProxy(format!(
                        "`{}` is not a proxy URL; write http://host:port, https://host:port or socks5://host:port",
                        without_credentials(text)
                    ))
                })?;
            Ok(Some(route(intercept, "--proxy".to_owned())))
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

/// `text` with any `user:password@` in it replaced by `***@`.
pub fn without_credentials(text: &str) -> String {
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (format!("{scheme}://"), rest),
        None => (String::new(), text),
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}***@{}", &rest[at + 1..]),
        None => text.to_owned(),
    }
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
