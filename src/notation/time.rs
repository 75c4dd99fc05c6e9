//! `certNotBefore` / `certNotAfter`: `ASN1_TIME_print` (docs/fields.md, "Validity dates").

use crate::certificate::der::tag;
use crate::certificate::time::{MONTHS, Parts, from_instant, parse, split, to_instant};

use super::TlsLibrary;

/// What the profile's library makes of one encoded time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeText {
    /// Printed as this text.
    Printed(String),
    /// The library refuses the certificate at parse time, for this reason.
    Rejected(String),
}

/// Formats a complete UTCTime/GeneralizedTime TLV for `profile`.
pub fn format_time(time_der: &[u8], rules: TlsLibrary) -> TimeText {
    let (time_tag, text) = match split(time_der) {
        Some(split) => split,
        None => {
            return TimeText::Rejected("the time is not a DER UTCTime or GeneralizedTime".into());
        }
    };
    match rules {
        TlsLibrary::BoringSsl => boringssl(time_tag, text),
        TlsLibrary::OpenSsl => openssl(time_tag, text),
    }
}

fn boringssl(time_tag: u8, text: &str) -> TimeText {
    let strict_len = if time_tag == tag::UTC_TIME { 13 } else { 15 };
    let digits = strict_len - 1;
    let well_formed_digits =
        text.len() >= digits && text.as_bytes()[..digits].iter().all(u8::is_ascii_digit);
    let has_offset = text.len() == digits + 5 && matches!(text.as_bytes()[digits], b'+' | b'-');
    if well_formed_digits && has_offset && parse(time_tag, text, false).is_some() {
        // BoringSSL parses an offset but ASN1_TIME_print refuses to print it.
        return TimeText::Printed("Bad time value".into());
    }
    if text.len() != strict_len || !text.ends_with('Z') {
        return TimeText::Rejected(format!(
            "BoringSSL accepts only {} times with seconds and a final Z; this one is \"{text}\"",
            if time_tag == tag::UTC_TIME {
                "YYMMDDHHMMSSZ UTCTime"
            } else {
                "YYYYMMDDHHMMSSZ GeneralizedTime"
            }
        ));
    }
    match parse(time_tag, text, false) {
        Some(parts) => TimeText::Printed(print(&parts, "")),
        None => TimeText::Rejected(format!("\"{text}\" is not a valid date and time")),
    }
}

fn openssl(time_tag: u8, text: &str) -> TimeText {
    match parse(time_tag, text, true) {
        Some(parts) => {
            // OpenSSL normalises an offset to GMT and keeps a fraction verbatim.
            let normalised = from_instant(to_instant(&parts), parts.fraction.clone());
            TimeText::Printed(print(&normalised, &normalised.fraction))
        }
        None => TimeText::Printed("Bad time value".into()),
    }
}

fn print(parts: &Parts, fraction: &str) -> String {
    format!(
        "{} {:>2} {:02}:{:02}:{:02}{} {} GMT",
        MONTHS[(parts.month - 1) as usize],
        parts.day,
        parts.hour,
        parts.minute,
        parts.second,
        fraction,
        parts.year
    )
}

impl TimeText {
    /// The printed text, or the rejection reason.
    pub fn into_text(self) -> String {
        match self {
            TimeText::Printed(text) | TimeText::Rejected(text) => text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certificate::hex;

    fn both(der: &str) -> (TimeText, TimeText) {
        let der = hex::decode(der).unwrap();
        (
            format_time(&der, TlsLibrary::BoringSsl),
            format_time(&der, TlsLibrary::OpenSsl),
        )
    }

    fn printed(s: &str) -> TimeText {
        TimeText::Printed(s.into())
    }

    /// T1–T11, both libraries.
    #[test]
    fn asn1_time_print_vectors() {
        let same = [
            ("170d3138313232323139333930305a", "Dec 22 19:39:00 2018 GMT"),
            ("170d3234303130323033303430355a", "Jan  2 03:04:05 2024 GMT"),
            ("170d3530303130313030303030305a", "Jan  1 00:00:00 1950 GMT"),
            ("170d3439313233313233353935395a", "Dec 31 23:59:59 2049 GMT"),
            (
                "180f32303530303130313030303030305a",
                "Jan  1 00:00:00 2050 GMT",
            ),
            (
                "180f39393939313233313233353935395a",
                "Dec 31 23:59:59 9999 GMT",
            ),
            (
                "180f32303139303130313030303030305a",
                "Jan  1 00:00:00 2019 GMT",
            ),
        ];
        for (der, want) in same {
            assert_eq!(both(der), (printed(want), printed(want)), "{der}");
        }
        let (cf, ng) = both("181332303530303130313030303030302e3132335a");
        assert!(matches!(cf, TimeText::Rejected(_)));
        assert_eq!(ng, printed("Jan  1 00:00:00.123 2050 GMT"));
        let (cf, ng) = both("170b313831323232313933395a");
        assert!(matches!(cf, TimeText::Rejected(_)));
        assert_eq!(ng, printed("Dec 22 19:39:00 2018 GMT"));
        assert_eq!(
            both("17113138313232323139333930302b30313030"),
            (
                printed("Bad time value"),
                printed("Dec 22 18:39:00 2018 GMT")
            )
        );
        let (cf, ng) = both("180e3230353030313031303030303030");
        assert!(matches!(cf, TimeText::Rejected(_)));
        assert_eq!(ng, printed("Bad time value"));
    }
}
