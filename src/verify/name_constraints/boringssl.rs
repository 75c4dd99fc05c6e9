//! BoringSSL's matchers (`crypto/x509/v3_ncons.cc`: `nc_dns`, `nc_email`, `nc_uri`), with its
//! strict parsing of e-mail addresses and URIs.

use super::{VerifyError, has_suffix_any_case, outside};

/// `nc_dns`.
pub(super) fn dns(name: &[u8], base: &[u8], excluding: bool) -> Result<(), VerifyError> {
    if base.is_empty() {
        return Ok(());
    }
    let name = name.strip_suffix(b".").unwrap_or(name);
    let base = base.strip_suffix(b".").unwrap_or(base);
    // "*.bar.com" is inside an excluded "foo.bar.com".
    if excluding
        && let Some(parent) = name.strip_prefix(b"*.")
        && let Some(dot) = base.iter().position(|&c| c == b'.')
        && parent.eq_ignore_ascii_case(&base[dot + 1..])
    {
        return Ok(());
    }
    if base.first() == Some(&b'.') {
        return if has_suffix_any_case(name, base) {
            Ok(())
        } else {
            outside()
        };
    }
    let name = if name.len() > base.len() {
        let split = name.len() - base.len();
        if name[split - 1] != b'.' {
            return outside();
        }
        &name[split..]
    } else {
        name
    };
    if name.eq_ignore_ascii_case(base) {
        Ok(())
    } else {
        outside()
    }
}

fn local_part_allowed(part: &[u8]) -> bool {
    !part.is_empty()
        && part
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || b"!#$%&'*+-/=?^_`{|}~.".contains(&c))
}

fn domain_allowed(part: &[u8]) -> bool {
    !part.is_empty()
        && part
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.')
}

/// `nc_email`.
pub(super) fn email(
    name: &[u8],
    base: &[u8],
    local_part_any_case: bool,
) -> Result<(), VerifyError> {
    let mut parts = name.splitn(2, |&c| c == b'@');
    let (Some(local), Some(domain)) = (parts.next(), parts.next()) else {
        return Err(VerifyError::UnsupportedNameSyntax);
    };
    if domain.contains(&b'@') || !local_part_allowed(local) || !domain_allowed(domain) {
        return Err(VerifyError::UnsupportedNameSyntax);
    }
    let (base_local, base_domain) = match base.iter().position(|&c| c == b'@') {
        Some(at) => {
            let (l, d) = (&base[..at], &base[at + 1..]);
            if d.contains(&b'@') || !local_part_allowed(l) {
                return Err(VerifyError::UnsupportedNameSyntax);
            }
            (Some(l), d)
        }
        None => (None, base),
    };
    if !domain_allowed(base_domain) {
        return Err(VerifyError::UnsupportedNameSyntax);
    }
    if let Some(base_local) = base_local {
        let local_matches = if local_part_any_case {
            base_local.eq_ignore_ascii_case(local)
        } else {
            base_local == local
        };
        return if local_matches && base_domain.eq_ignore_ascii_case(domain) {
            Ok(())
        } else {
            outside()
        };
    }
    if base_domain.first() == Some(&b'.') {
        return if has_suffix_any_case(domain, base_domain) {
            Ok(())
        } else {
            outside()
        };
    }
    if base_domain.eq_ignore_ascii_case(domain) {
        Ok(())
    } else {
        outside()
    }
}

/// `nc_uri`: the URI's host, a fully qualified domain name, against the base.
pub(super) fn uri(name: &[u8], base: &[u8]) -> Result<(), VerifyError> {
    let host = uri_host(name).ok_or(VerifyError::UnsupportedNameSyntax)?;
    let base = base.strip_suffix(b".").unwrap_or(base);
    let leading_dot = base.first() == Some(&b'.');
    let fqdn = if leading_dot { &base[1..] } else { base };
    if !is_fqdn(fqdn) {
        return Err(VerifyError::UnsupportedConstraintSyntax);
    }
    if leading_dot {
        return if has_suffix_any_case(host, base) {
            Ok(())
        } else {
            outside()
        };
    }
    if base.eq_ignore_ascii_case(host) {
        Ok(())
    } else {
        outside()
    }
}

/// `nc_get_valid_uri_host`: `scheme://authority…`, the authority's host without port or
/// trailing dot, which must be a fully qualified domain name.
pub(super) fn uri_host(uri: &[u8]) -> Option<&[u8]> {
    let colon = uri.iter().position(|&c| c == b':')?;
    let (scheme, rest) = (&uri[..colon], &uri[colon + 1..]);
    let (first, others) = scheme.split_first()?;
    if !first.is_ascii_alphabetic()
        || !others
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'))
    {
        return None;
    }
    let rest = rest.strip_prefix(b"//")?;
    let end = rest
        .iter()
        .position(|c| b"/?#".contains(c))
        .unwrap_or(rest.len());
    let mut authority = &rest[..end];
    if authority.is_empty() {
        return None;
    }
    if let Some(colon) = authority.iter().position(|&c| c == b':') {
        if !authority[colon + 1..].iter().all(u8::is_ascii_digit) {
            return None;
        }
        authority = &authority[..colon];
    }
    let host = authority.strip_suffix(b".").unwrap_or(authority);
    is_fqdn(host).then_some(host)
}

/// `nc_uri_is_fqdn`: letter-digit-hyphen labels of 1–63 characters, no userinfo or
/// brackets, and a last label that is not a number (an IPv4 address).
fn is_fqdn(host: &[u8]) -> bool {
    if host.is_empty() || host.iter().any(|c| b"@[]".contains(c)) {
        return false;
    }
    let labels: Vec<&[u8]> = host.split(|&c| c == b'.').collect();
    for label in &labels {
        let (Some(first), Some(last)) = (label.first(), label.last()) else {
            return false;
        };
        if label.len() > 63
            || !first.is_ascii_alphanumeric()
            || !last.is_ascii_alphanumeric()
            || !label
                .iter()
                .all(|&c| c.is_ascii_alphanumeric() || c == b'-')
        {
            return false;
        }
    }
    let last = labels.last().copied().unwrap_or_default();
    if let Some(hex) = last
        .strip_prefix(b"0x")
        .or_else(|| last.strip_prefix(b"0X"))
    {
        return !hex.iter().all(u8::is_ascii_hexdigit);
    }
    !last.iter().all(u8::is_ascii_digit)
}
