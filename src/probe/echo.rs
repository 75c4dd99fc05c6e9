//! Reading the echo: the shapes users deploy, and what a body that is none of them means.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::fields::Property;

/// A recognised way of echoing the edge's fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum EchoShape {
    /// The echo Worker's `X-CERT-*` keys (Cloudflare's learning path, `assets/echo-worker.js`).
    XCertHeaders,
    /// `request.cf.tlsClientAuth` itself (Cloudflare property names).
    TlsClientAuth,
    /// nginx-style `ssl_client_*` keys.
    Nginx,
    /// Forwarded `cf-client-cert-der-base64` / `cf-client-cert-sha256` request headers.
    Forwarded,
    /// The headers of the chosen edge profile (AWS, Envoy, Traefik, HAProxy, …).
    EdgeHeaders,
}

/// Why the body could not be read as an echo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EchoProblem(pub String);

/// What the server answered, read.
#[derive(Debug, Clone)]
pub struct Echo {
    /// The shapes found (several can be present at once).
    pub shapes: Vec<EchoShape>,
    /// Every top-level key → value as text (keys as sent).
    values: Vec<(String, String)>,
    /// The parsed JSON, when it was JSON.
    pub json: Option<Value>,
    /// Why nothing could be compared, when nothing could.
    pub problem: Option<EchoProblem>,
}

impl Echo {
    /// Reads a response body.
    pub fn parse(body: &[u8], truncated: bool) -> Self {
        Self::parse_for(body, truncated, &[])
    }

    /// Reads a response body that may carry `edge_headers` (the chosen edge's header names,
    /// matched without regard to case).
    pub fn parse_for(body: &[u8], truncated: bool, edge_headers: &[&str]) -> Self {
        let text = String::from_utf8_lossy(body);
        let trimmed = text.trim_start();
        let json: Option<Value> = serde_json::from_slice(body).ok();
        let Some(Value::Object(object)) = &json else {
            let problem = if truncated {
                "the body was cut at the size limit, so it is not complete JSON (raise the limit, or check why the echo is so large)"
            } else if body.is_empty() {
                "the body is empty: the hostname answered, but not with the echo Worker (is the Worker deployed on this route?)"
            } else if trimmed.starts_with('<') {
                "the body is an HTML page, not the echo's JSON: usually an error page from the origin, a login page (Cloudflare Access), or a site without the echo Worker"
            } else if json.is_some() {
                "the body is JSON but not an object, so it is not the echo Worker's answer"
            } else {
                "the body is not JSON: the hostname is not answering with the echo Worker"
            };
            return Self {
                shapes: Vec::new(),
                values: Vec::new(),
                json,
                problem: Some(EchoProblem(problem.into())),
            };
        };
        let mut values: Vec<(String, String)> = flatten(object);
        // A Worker that returns `{ tlsClientAuth: request.cf.tlsClientAuth, … }`.
        if let Some(Value::Object(inner)) = object.get("tlsClientAuth") {
            values.extend(flatten(inner));
        }
        let has = |test: &dyn Fn(&str) -> bool| values.iter().any(|(k, _)| test(k));
        let mut shapes = Vec::new();
        if has(&|k| k.to_ascii_lowercase().starts_with("x-cert-")) {
            shapes.push(EchoShape::XCertHeaders);
        }
        if has(&|k| Property::from_name(k).is_some()) {
            shapes.push(EchoShape::TlsClientAuth);
        }
        if has(&|k| k.starts_with("ssl_client_")) {
            shapes.push(EchoShape::Nginx);
        }
        if has(&|k| {
            k.eq_ignore_ascii_case("cf-client-cert-der-base64")
                || k.eq_ignore_ascii_case("cf-client-cert-sha256")
        }) {
            shapes.push(EchoShape::Forwarded);
        }
        if has(&|k| edge_headers.iter().any(|h| h.eq_ignore_ascii_case(k))) {
            shapes.push(EchoShape::EdgeHeaders);
        }
        let problem = shapes.is_empty().then(|| {
            EchoProblem(if edge_headers.is_empty() {
                "the JSON has none of the keys an echo carries (X-CERT-*, certSubjectDN, ssl_client_*, cf-client-cert-*): is this the echo Worker?".into()
            } else {
                format!(
                    "the JSON has none of the edge's headers ({}): is the backend echoing its request headers, and is the edge configured to add them?",
                    edge_headers.join(", ")
                )
            })
        });
        Self {
            shapes,
            values,
            json,
            problem,
        }
    }

    /// The echoed value of a key, matched without regard to case (as HTTP header names are).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// Echoed keys starting with `prefix` (case-insensitive).
    pub fn keys_with_prefix<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.values
            .iter()
            // Compared as bytes: an echoed key may hold any characters, and slicing it as text
            // at the prefix's length could split one of them.
            .filter(move |(k, _)| {
                k.as_bytes()
                    .get(..prefix.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
            })
            .map(|(k, _)| k.as_str())
    }
}

fn flatten(object: &Map<String, Value>) -> Vec<(String, String)> {
    object
        .iter()
        .filter_map(|(k, v)| {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Bool(b) => b.to_string(),
                Value::Number(n) => n.to_string(),
                Value::Null => return None,
                _ => return None,
            };
            Some((k.clone(), text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::Echo;

    /// Found by the `echo` fuzz target: a key whose seventh byte falls inside a character made
    /// `keys_with_prefix("x-cert-")` slice the text mid-character and panic — and with it the
    /// live test, on any server that echoed such a key.
    #[test]
    fn keys_with_multibyte_characters_at_the_prefix_length_are_compared_safely() {
        let echo = Echo::parse(
            "{\"x-certѩ\":\"1\",\"X-CERT-SERIAL\":\"0A\",\"ѩѩѩѩ\":\"2\"}".as_bytes(),
            false,
        );
        let keys: Vec<&str> = echo.keys_with_prefix("x-cert-").collect();
        assert_eq!(keys, ["X-CERT-SERIAL"]);
        assert_eq!(echo.keys_with_prefix("ѩ").count(), 1);
    }
}
