//! Attribute short names (`OBJ_nid2sn`) as each profile's library knows them.

use super::TlsLibrary;
use super::oid_table::{BORINGSSL, BORINGSSL_ONLY, OPENSSL_ONLY};

/// The short name the profile's TLS library prints for `dotted`, if it knows the OID.
pub fn short_name(dotted: &str, rules: TlsLibrary) -> Option<&'static str> {
    if rules == TlsLibrary::OpenSsl {
        if let Some(name) = lookup(OPENSSL_ONLY, dotted) {
            return Some(name);
        }
        if BORINGSSL_ONLY.binary_search(&dotted).is_ok() {
            return None;
        }
    }
    lookup(BORINGSSL, dotted)
}

fn lookup(table: &'static [(&'static str, &'static str)], dotted: &str) -> Option<&'static str> {
    table
        .binary_search_by(|(oid, _)| (*oid).cmp(dotted))
        .ok()
        .map(|i| table[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        for table in [BORINGSSL, OPENSSL_ONLY] {
            assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        }
        assert!(BORINGSSL_ONLY.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn ev_attributes_are_known_only_to_openssl() {
        assert_eq!(short_name("2.5.4.3", TlsLibrary::BoringSsl), Some("CN"));
        assert_eq!(short_name("2.5.4.97", TlsLibrary::BoringSsl), None);
        assert_eq!(
            short_name("2.5.4.97", TlsLibrary::OpenSsl),
            Some("organizationIdentifier")
        );
        assert_eq!(
            short_name("1.3.6.1.4.1.311.60.2.1.3", TlsLibrary::OpenSsl),
            Some("jurisdictionC")
        );
        // 889 rows in tools/boringssl-oids.tsv, with the arc 1.3 listed twice.
        assert_eq!(BORINGSSL.len(), 888);
    }
}
