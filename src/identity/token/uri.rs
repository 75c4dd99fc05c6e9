//! RFC 7512 `pkcs11:` URIs: which token and which object, percent-encoded.

/// What a `pkcs11:` URI names. Every attribute is optional; an absent one matches anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pkcs11Uri {
    /// The token's label (`token=`).
    pub token: Option<String>,
    /// The token's manufacturer (`manufacturer=`).
    pub manufacturer: Option<String>,
    /// The token's serial number (`serial=`).
    pub serial: Option<String>,
    /// The token's model (`model=`).
    pub model: Option<String>,
    /// The slot's id (`slot-id=`).
    pub slot_id: Option<u64>,
    /// The object's label (`object=`).
    pub object: Option<String>,
    /// The object's `CKA_ID` (`id=`, bytes).
    pub id: Option<Vec<u8>>,
    /// The object's class (`type=`: `cert`, `private`, …).
    pub object_type: Option<String>,
    /// The module to load (`module-path=` in the query).
    pub module_path: Option<String>,
    /// The module by name (`module-name=` in the query, p11-kit's name for it).
    pub module_name: Option<String>,
}

/// Why a `pkcs11:` URI cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UriError {
    /// It does not start with `pkcs11:`.
    #[error("not a pkcs11: URI")]
    NotPkcs11,
    /// A `%` is not followed by two hex digits, or the text is not UTF-8.
    #[error("the URI's {attribute} is not correctly percent-encoded")]
    BadEncoding {
        /// The attribute.
        attribute: String,
    },
    /// The PIN is in the URI, where a shell history and a process list keep it.
    #[error(
        "the URI holds the PIN (pin-value): PINs are never read from a command line; give it as a password instead"
    )]
    PinInUri,
    /// `slot-id` is not a number.
    #[error("the URI's slot-id is not a number")]
    BadSlotId,
}

/// True when `text` is a `pkcs11:` URI rather than a file path.
pub fn is_pkcs11_uri(text: &str) -> bool {
    text.len() > 7 && text[..7].eq_ignore_ascii_case("pkcs11:")
}

impl Pkcs11Uri {
    /// Parses `text`. Unknown attributes are ignored, as RFC 7512 asks.
    pub fn parse(text: &str) -> Result<Self, UriError> {
        if !text
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("pkcs11:"))
        {
            return Err(UriError::NotPkcs11);
        }
        let rest = &text[7..];
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let mut uri = Pkcs11Uri::default();
        for pair in path.split(';').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let bytes = decode(name, value)?;
            let text = || {
                String::from_utf8(bytes.clone()).map_err(|_| UriError::BadEncoding {
                    attribute: name.to_owned(),
                })
            };
            match name {
                "token" => uri.token = Some(text()?),
                "manufacturer" => uri.manufacturer = Some(text()?),
                "serial" => uri.serial = Some(text()?),
                "model" => uri.model = Some(text()?),
                "object" => uri.object = Some(text()?),
                "type" => uri.object_type = Some(text()?),
                "id" => uri.id = Some(bytes),
                "slot-id" => {
                    uri.slot_id = Some(text()?.parse().map_err(|_| UriError::BadSlotId)?);
                }
                _ => {}
            }
        }
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let text =
                String::from_utf8(decode(name, value)?).map_err(|_| UriError::BadEncoding {
                    attribute: name.to_owned(),
                })?;
            match name {
                "pin-value" => return Err(UriError::PinInUri),
                "module-path" => uri.module_path = Some(text),
                "module-name" => uri.module_name = Some(text),
                _ => {}
            }
        }
        Ok(uri)
    }

    /// The URI, each value percent-encoded where RFC 7512 asks (the `id` byte by byte).
    pub fn to_uri(&self) -> String {
        let text = |name: &str, value: &Option<String>| {
            value
                .as_ref()
                .map(|v| format!("{name}={}", encode(v.as_bytes(), false)))
        };
        let parts: Vec<String> = [
            text("model", &self.model),
            text("manufacturer", &self.manufacturer),
            text("serial", &self.serial),
            text("token", &self.token),
            self.id
                .as_ref()
                .map(|id| format!("id={}", encode(id, true))),
            text("object", &self.object),
            text("type", &self.object_type),
        ]
        .into_iter()
        .flatten()
        .collect();
        let mut uri = format!("pkcs11:{}", parts.join(";"));
        let mut query = Vec::new();
        if let Some(path) = &self.module_path {
            query.push(format!("module-path={}", encode(path.as_bytes(), false)));
        }
        if let Some(name) = &self.module_name {
            query.push(format!("module-name={}", encode(name.as_bytes(), false)));
        }
        if !query.is_empty() {
            uri.push('?');
            uri.push_str(&query.join("&"));
        }
        uri
    }
}

fn decode(name: &str, value: &str) -> Result<Vec<u8>, UriError> {
    let bad = || UriError::BadEncoding {
        attribute: name.to_owned(),
    };
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = value.get(i + 1..i + 3).ok_or_else(bad)?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| bad())?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// Percent-encodes all but RFC 3986's unreserved characters (and, in a path value, the few
/// RFC 7512 allows as they are); `every_byte` encodes everything (an `id`).
fn encode(bytes: &[u8], every_byte: bool) -> String {
    let mut out = String::with_capacity(bytes.len());
    for &b in bytes {
        let plain = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        if plain && !every_byte {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02x}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_7512_examples_parse() {
        let uri = Pkcs11Uri::parse(
            "pkcs11:token=The%20Software%20PKCS%2311%20Softtoken;manufacturer=Snake%20Oil,%20Inc.;model=1.0;object=my-certificate;type=cert;id=%69%95%3E%5C%F4%BD%EC%91;serial=?pin-source=file:/etc/token_pin",
        )
        .unwrap();
        assert_eq!(uri.token.as_deref(), Some("The Software PKCS#11 Softtoken"));
        assert_eq!(uri.manufacturer.as_deref(), Some("Snake Oil, Inc."));
        assert_eq!(uri.object.as_deref(), Some("my-certificate"));
        assert_eq!(uri.object_type.as_deref(), Some("cert"));
        assert_eq!(
            uri.id.as_deref(),
            Some(&[0x69, 0x95, 0x3e, 0x5c, 0xf4, 0xbd, 0xec, 0x91][..])
        );
        assert_eq!(uri.serial.as_deref(), Some(""));
        assert_eq!(
            Pkcs11Uri::parse("pkcs11:object=my-key;type=private?module-path=/usr/lib/p11.so")
                .unwrap()
                .module_path
                .as_deref(),
            Some("/usr/lib/p11.so")
        );
    }

    #[test]
    fn a_uri_round_trips_and_refuses_a_pin() {
        let uri = Pkcs11Uri {
            token: Some("My token; A=B".into()),
            id: Some(vec![1, 0xab]),
            object: Some("alice".into()),
            ..Pkcs11Uri::default()
        };
        let text = uri.to_uri();
        assert_eq!(
            text,
            "pkcs11:token=My%20token%3b%20A%3dB;id=%01%ab;object=alice"
        );
        assert_eq!(Pkcs11Uri::parse(&text).unwrap(), uri);
        assert_eq!(
            Pkcs11Uri::parse("pkcs11:token=t?pin-value=1234").unwrap_err(),
            UriError::PinInUri
        );
        assert!(matches!(
            Pkcs11Uri::parse("pkcs11:id=%zz"),
            Err(UriError::BadEncoding { .. })
        ));
        assert!(is_pkcs11_uri("PKCS11:token=x") && !is_pkcs11_uri("pkcs11.pem"));
    }
}
