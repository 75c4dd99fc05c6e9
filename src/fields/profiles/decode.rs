//! Reading what an edge sent: the certificates inside a header whatever their encoding, and
//! the key/value elements of Envoy's `x-forwarded-client-cert` and Traefik's info header.

use base64::Engine as _;

/// Undoes `%XX` escapes (and `+` as space when `plus_is_space`); `None` for bytes that are
/// not UTF-8 once decoded.
pub fn percent_decode(text: &str, plus_is_space: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let pair = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match pair.and_then(|p| u8::from_str_radix(p, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// The DER certificates a header value carries, whatever the edge's encoding: PEM (raw or
/// URL-encoded, one or several, newlines kept or not), bare base64 DER or RFC 9440 byte
/// sequences (comma-separated). `None` when the value is none of these.
pub fn certificates_in(value: &str) -> Option<Vec<Vec<u8>>> {
    let mut text = value.trim().to_owned();
    if text.contains('%') {
        text = percent_decode(&text, false)?;
    }
    let engine = base64::engine::general_purpose::STANDARD;
    if text.contains("-----BEGIN") {
        let mut certificates = Vec::new();
        let mut rest = text.as_str();
        while let Some(start) = rest.find("-----BEGIN") {
            let after_begin = &rest[start + 10..];
            let body_start = after_begin.find("-----")? + 5;
            let body = &after_begin[body_start..];
            let end = body.find("-----END")?;
            let base64: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
            certificates.push(engine.decode(base64).ok()?);
            let after_end = &body[end + 8..];
            rest = after_end
                .find("-----")
                .map(|i| &after_end[i + 5..])
                .unwrap_or("");
        }
        return (!certificates.is_empty()).then_some(certificates);
    }
    let certificates = text
        .split(',')
        .map(|item| {
            let item = item.trim();
            let item = item
                .strip_prefix(':')
                .and_then(|i| i.strip_suffix(':'))
                .unwrap_or(item);
            let compact: String = item.chars().filter(|c| !c.is_whitespace()).collect();
            engine
                .decode(compact)
                .ok()
                .filter(|der| der.first() == Some(&0x30))
        })
        .collect::<Option<Vec<_>>>()?;
    (!certificates.is_empty()).then_some(certificates)
}

/// The elements of a structured header as Envoy's XFCC and Traefik's info write them:
/// elements separated by `,`, `key=value` pairs by `;`, values optionally double-quoted with
/// `\"` inside quotes. Separators inside quotes do not count.
pub fn elements(value: &str) -> Vec<Vec<(String, String)>> {
    let mut elements = Vec::new();
    let mut pairs = Vec::new();
    let mut key = String::new();
    let mut current = String::new();
    let mut in_key = true;
    let mut quoted = false;
    let mut chars = value.chars().peekable();
    let finish_pair =
        |pairs: &mut Vec<(String, String)>, key: &mut String, current: &mut String| {
            if !key.trim().is_empty() || !current.is_empty() {
                pairs.push((key.trim().to_owned(), std::mem::take(current)));
            }
            key.clear();
        };
    while let Some(c) = chars.next() {
        match c {
            // Only `\"` is an escape; any other backslash is the value's own (an RFC 2253
            // subject keeps its `\,`).
            '\\' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                current.push('"');
            }
            '"' if !in_key => quoted = !quoted,
            '=' if in_key && !quoted => in_key = false,
            ';' if !quoted => {
                finish_pair(&mut pairs, &mut key, &mut current);
                in_key = true;
            }
            ',' if !quoted => {
                finish_pair(&mut pairs, &mut key, &mut current);
                in_key = true;
                elements.push(std::mem::take(&mut pairs));
            }
            _ if in_key => key.push(c),
            _ => current.push(c),
        }
    }
    finish_pair(&mut pairs, &mut key, &mut current);
    if !pairs.is_empty() {
        elements.push(pairs);
    }
    elements
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xfcc_elements_keep_quoted_separators() {
        let parsed = elements(
            r#"By=spiffe://a;Hash=ab12;Subject="CN=x\,y,O=A\"; B";URI=,Hash=cd34;DNS=a.example;DNS=b.example"#,
        );
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0][2], ("Subject".into(), "CN=x\\,y,O=A\"; B".into()));
        assert_eq!(parsed[0][3], ("URI".into(), String::new()));
        assert_eq!(parsed[1][2], ("DNS".into(), "b.example".into()));
    }

    #[test]
    fn certificates_in_every_encoding() {
        let der = vec![0x30, 0x03, 0x02, 0x01, 0x05];
        let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
        let pem = format!("-----BEGIN CERTIFICATE-----\n{b64}\n-----END CERTIFICATE-----\n");
        let url = pem
            .replace('\n', "%0A")
            .replace(' ', "%20")
            .replace('=', "%3D");
        for value in [
            pem.clone(),
            url,
            pem.replace('\n', " "),
            b64.clone(),
            format!(":{b64}:"),
        ] {
            assert_eq!(certificates_in(&value), Some(vec![der.clone()]), "{value}");
        }
        assert_eq!(
            certificates_in(&format!(":{b64}:, :{b64}:")).map(|c| c.len()),
            Some(2)
        );
        assert_eq!(certificates_in("not a certificate"), None);
        assert_eq!(percent_decode("a+b%2Fc%", true).as_deref(), Some("a b/c%"));
    }
}
