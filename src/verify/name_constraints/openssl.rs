//! OpenSSL 3's matchers (`crypto/x509/v3_ncons.c`: `nc_dns`, `nc_email`, `nc_uri`, `nc_ip`)
//! and its `cn2dnsid`.

use super::{VerifyError, has_suffix_any_case, outside};

pub(super) fn dns(name: &[u8], base: &[u8]) -> Result<(), VerifyError> {
    if base.is_empty() {
        return Ok(());
    }
    if name.len() < base.len() {
        return outside();
    }
    let split = name.len() - base.len();
    if split > 0 && base[0] != b'.' && name[split - 1] != b'.' {
        return outside();
    }
    if name[split..].eq_ignore_ascii_case(base) {
        Ok(())
    } else {
        outside()
    }
}

pub(super) fn email(name: &[u8], base: &[u8]) -> Result<(), VerifyError> {
    let Some(name_at) = name.iter().rposition(|&c| c == b'@') else {
        return Err(VerifyError::UnsupportedNameSyntax);
    };
    let base_at = base.iter().rposition(|&c| c == b'@');
    if base_at.is_none() && base.first() == Some(&b'.') {
        return if name.len() > base.len() && has_suffix_any_case(name, base) {
            Ok(())
        } else {
            outside()
        };
    }
    let mut base_host = base;
    if let Some(at) = base_at {
        if at != 0 {
            if at != name_at {
                return outside();
            }
            if base[..at].contains(&0) || name[..name_at].contains(&0) {
                return Err(VerifyError::UnsupportedNameSyntax);
            }
            if base[..at] != name[..name_at] {
                return outside();
            }
        }
        base_host = &base[at + 1..];
    }
    if base_host.eq_ignore_ascii_case(&name[name_at + 1..]) {
        Ok(())
    } else {
        outside()
    }
}

/// The host runs from after `scheme://` to the first `:` after it, else the first `/`.
pub(super) fn uri(name: &[u8], base: &[u8]) -> Result<(), VerifyError> {
    let colon = name
        .iter()
        .position(|&c| c == b':')
        .ok_or(VerifyError::UnsupportedNameSyntax)?;
    if name.len() - colon < 3 || name[colon + 1] != b'/' || name[colon + 2] != b'/' {
        return Err(VerifyError::UnsupportedNameSyntax);
    }
    let rest = &name[colon + 3..];
    let end = rest
        .iter()
        .position(|&c| c == b':')
        .or_else(|| rest.iter().position(|&c| c == b'/'))
        .unwrap_or(rest.len());
    let host = &rest[..end];
    if host.is_empty() {
        return Err(VerifyError::UnsupportedNameSyntax);
    }
    if base.first() == Some(&b'.') {
        return if host.len() > base.len() && has_suffix_any_case(host, base) {
            Ok(())
        } else {
            outside()
        };
    }
    if host.eq_ignore_ascii_case(base) {
        Ok(())
    } else {
        outside()
    }
}

pub(super) fn ip(name: &[u8], base: &[u8]) -> Result<(), VerifyError> {
    if !matches!(name.len(), 4 | 16) || !matches!(base.len(), 8 | 32) {
        return Err(VerifyError::UnsupportedNameSyntax);
    }
    if name.len() * 2 != base.len() {
        return outside();
    }
    let (network, mask) = base.split_at(name.len());
    let inside = name
        .iter()
        .zip(network)
        .zip(mask)
        .all(|((n, b), m)| n & m == b & m);
    if inside { Ok(()) } else { outside() }
}

/// OpenSSL's `cn2dnsid`: letters, digits and `_`; `-` and `.` inside only, a `.` never next to
/// another `.` or a `-`; and at least one `.`.
pub(super) fn dns_id(name: &[u8]) -> bool {
    let mut dotted = false;
    for (i, &c) in name.iter().enumerate() {
        if c.is_ascii_alphanumeric() || c == b'_' {
            continue;
        }
        if i > 0 && i < name.len() - 1 {
            if c == b'-' {
                continue;
            }
            if c == b'.' && name[i + 1] != b'.' && name[i - 1] != b'-' && name[i + 1] != b'-' {
                dotted = true;
                continue;
            }
        }
        return false;
    }
    dotted
}
