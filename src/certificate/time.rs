//! A certificate's validity times decoded: UTCTime and GeneralizedTime to an instant, as
//! leniently as OpenSSL reads them, and instants parsed from and printed as text. How each
//! library prints a time is `notation`'s.

use super::der::tag;

/// Month abbreviations as `ASN1_TIME_print` writes them.
pub(crate) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A calendar instant in UTC, as decoded from a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Instant {
    /// Seconds since 1970-01-01T00:00:00Z (negative before).
    pub unix: i64,
}

/// True for the only forms `X509_cmp_time` compares, RFC 5280's: `YYMMDDHHMMSSZ` as UTCTime,
/// `YYYYMMDDHHMMSSZ` as GeneralizedTime (no fraction, no offset, seconds present).
pub fn is_rfc5280_form(time_der: &[u8]) -> bool {
    let Some((time_tag, text)) = split(time_der) else {
        return false;
    };
    let length = if time_tag == tag::UTC_TIME { 13 } else { 15 };
    text.len() == length
        && text.ends_with('Z')
        && text.as_bytes()[..length - 1].iter().all(u8::is_ascii_digit)
}

/// A time's fields as written, before any offset is applied.
pub(crate) struct Parts {
    pub(crate) year: i64,
    pub(crate) month: u32,
    pub(crate) day: u32,
    pub(crate) hour: u32,
    pub(crate) minute: u32,
    pub(crate) second: u32,
    pub(crate) fraction: String,
    pub(crate) offset_minutes: i64,
}

/// The instant an encoded UTCTime/GeneralizedTime names, read as leniently as OpenSSL reads it;
/// `None` when it names none.
pub fn decode_time(time_der: &[u8]) -> Option<Instant> {
    let (time_tag, text) = split(time_der)?;
    parse(time_tag, text, true).map(|parts| to_instant(&parts))
}

/// The time's tag (`UTCTime` 0x17, `GeneralizedTime` 0x18) and its text as encoded.
pub(crate) fn split(time_der: &[u8]) -> Option<(u8, &str)> {
    let tlv = super::der::parse_single(time_der, time_der.first().copied()?, "time").ok()?;
    if tlv.tag != tag::UTC_TIME && tlv.tag != tag::GENERALIZED_TIME {
        return None;
    }
    Some((tlv.tag, std::str::from_utf8(tlv.value).ok()?))
}

/// Parses the text; `lenient` accepts what OpenSSL accepts (missing seconds, fractions,
/// offsets). Requires a terminator (`Z` or an offset).
pub(crate) fn parse(time_tag: u8, text: &str, lenient: bool) -> Option<Parts> {
    let mut cursor = Cursor {
        bytes: text.as_bytes(),
        pos: 0,
    };
    let year = if time_tag == tag::UTC_TIME {
        let yy = i64::from(cursor.number(2)?);
        if yy >= 50 { 1900 + yy } else { 2000 + yy }
    } else {
        i64::from(cursor.number(4)?)
    };
    let month = cursor.number(2)?;
    let day = cursor.number(2)?;
    let hour = cursor.number(2)?;
    let minute = cursor.number(2)?;
    let second = match cursor.number(2) {
        Some(s) => s,
        None if lenient => 0,
        None => return None,
    };
    let mut fraction = String::new();
    if time_tag == tag::GENERALIZED_TIME && cursor.peek() == Some(b'.') {
        if !lenient {
            return None;
        }
        let start = cursor.pos;
        cursor.pos += 1;
        while cursor.peek().is_some_and(|b| b.is_ascii_digit()) {
            cursor.pos += 1;
        }
        if cursor.pos == start + 1 {
            return None;
        }
        fraction = text[start..cursor.pos].to_string();
    }
    let remaining = cursor.bytes.len() - cursor.pos;
    let offset_minutes = match cursor.peek() {
        Some(b'Z') if remaining == 1 => 0,
        Some(sign @ (b'+' | b'-')) if remaining == 5 => {
            cursor.pos += 1;
            let hh = i64::from(cursor.number(2)?);
            let mm = i64::from(cursor.number(2)?);
            if hh > 12 || mm > 59 {
                return None;
            }
            let minutes = hh * 60 + mm;
            if sign == b'+' { minutes } else { -minutes }
        }
        _ => return None,
    };
    if !is_valid(year, month, day, hour, minute, second) {
        return None;
    }
    Some(Parts {
        year,
        month,
        day,
        hour,
        minute,
        second,
        fraction,
        offset_minutes,
    })
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Reads `width` ASCII digits as a number.
    fn number(&mut self, width: usize) -> Option<u32> {
        let slice = self.bytes.get(self.pos..self.pos + width)?;
        if !slice.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.pos += width;
        slice
            .iter()
            .try_fold(0u32, |acc, &d| Some(acc * 10 + u32::from(d - b'0')))
    }
}

fn is_valid(year: i64, month: u32, day: u32, hour: u32, minute: u32, second: u32) -> bool {
    (1..=12).contains(&month)
        && day >= 1
        && day <= days_in_month(year, month)
        && hour <= 23
        && minute <= 59
        && second <= 59
}

/// The instant of a UTC calendar time, if the fields form a real date and time.
fn utc_instant(
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
) -> Option<Instant> {
    is_valid(year, month, day, hour, minute, second).then(|| {
        to_instant(&Parts {
            year,
            month,
            day,
            hour,
            minute,
            second,
            fraction: String::new(),
            offset_minutes: 0,
        })
    })
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

pub(crate) fn to_instant(parts: &Parts) -> Instant {
    let days = days_from_civil(parts.year, parts.month, parts.day);
    let seconds = days * 86_400
        + i64::from(parts.hour) * 3600
        + i64::from(parts.minute) * 60
        + i64::from(parts.second)
        - parts.offset_minutes * 60;
    Instant { unix: seconds }
}

pub(crate) fn from_instant(instant: Instant, fraction: String) -> Parts {
    let days = instant.unix.div_euclid(86_400);
    let secs = instant.unix.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    Parts {
        year,
        month,
        day,
        hour: (secs / 3600) as u32,
        minute: (secs % 3600 / 60) as u32,
        second: (secs % 60) as u32,
        fraction,
        offset_minutes: 0,
    }
}

impl Instant {
    /// The instant for a Unix timestamp.
    pub fn from_unix(unix: i64) -> Self {
        Self { unix }
    }

    /// Now, from the system clock.
    pub fn now() -> Self {
        let unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Self { unix }
    }

    /// Parses `2025-01-31T12:00:00Z`, `2025-01-31 12:00:00`, `2025-01-31` (UTC) or `@1735689600`.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        if let Some(unix) = text.strip_prefix('@') {
            return unix.parse().ok().map(Self::from_unix);
        }
        let text = text.trim_end_matches('Z').replace(['T', 't'], " ");
        let (date, time) = text.split_once(' ').unwrap_or((&text, "00:00:00"));
        let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
        let (year, month, day) = (d.next()??, d.next()?? as u32, d.next()?? as u32);
        let mut t = time.split(':').map(|p| p.parse::<u32>().ok());
        let hour = t.next()??;
        let minute = t.next().flatten().unwrap_or(0);
        let second = t.next().flatten().unwrap_or(0);
        utc_instant(year, month, day, hour, minute, second)
    }

    /// Parses the printed form `Mon DD HH:MM:SS YYYY GMT` back (as nginx's
    /// `ngx_parse_http_time` does); `None` for anything else (fractions, `Bad time value`).
    pub fn from_printed(text: &str) -> Option<Self> {
        let rest = text.strip_suffix(" GMT")?;
        let month = MONTHS.iter().position(|m| rest.starts_with(m))? as u32 + 1;
        let rest = rest.get(4..)?;
        let (day, rest) = rest.trim_start().split_once(' ')?;
        let (clock, year) = rest.split_once(' ')?;
        let mut hms = clock.split(':');
        let mut field = || -> Option<u32> {
            let part = hms.next()?;
            if part.len() != 2 || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse().ok()
        };
        let (hour, minute, second) = (field()?, field()?, field()?);
        let year: i64 = year.parse().ok()?;
        let day: u32 = day.parse().ok()?;
        utc_instant(year, month, day, hour, minute, second)
    }

    /// RFC 3339 text with a numeric offset (`2025-01-31T12:00:00+00:00`).
    pub fn to_rfc3339_offset(self) -> String {
        let mut text = self.to_rfc3339();
        text.pop();
        text.push_str("+00:00");
        text
    }

    /// RFC 3339 text (`2025-01-31T12:00:00Z`).
    pub fn to_rfc3339(self) -> String {
        let p = from_instant(self, String::new());
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            p.year, p.month, p.day, p.hour, p.minute, p.second
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_round_trip() {
        let t = Instant::parse("2024-01-02T03:04:05Z").unwrap();
        assert_eq!(t.unix, 1_704_164_645);
        assert_eq!(t.to_rfc3339(), "2024-01-02T03:04:05Z");
        assert_eq!(Instant::parse("@1704164645"), Some(t));
        assert_eq!(Instant::parse("1969-12-31").unwrap().unix, -86_400);
        assert!(Instant::parse("2024-02-30").is_none());
        assert_eq!(Instant::from_printed("Jan  2 03:04:05 2024 GMT"), Some(t));
        assert_eq!(Instant::from_printed("Jan  1 00:00:00.123 2050 GMT"), None);
        assert_eq!(Instant::from_printed("Bad time value"), None);
    }
}
