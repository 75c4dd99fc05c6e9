//! Every bound Certlens puts on what strangers can make it do, in one place.
//!
//! Certlens opens files other people send and talks to servers it does not control. Each limit
//! here turns "this input would take forever or eat all memory" into one clear error, and each
//! is listed in the README's *Limits* section. They are far above anything a real certificate
//! file or echo needs.

use std::fmt;
use std::time::Duration;

/// Files larger than this are refused before they are read whole (16 MiB).
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// Certificates, keys and PKCS#12 bags in one file (a large CA bundle holds a few hundred).
pub const MAX_OBJECTS: usize = 10_000;

/// Iterations of one key derivation (PBKDF2, the PKCS#12 KDF, the PKCS#12 MAC). OpenSSL writes
/// 2,048, Windows 2,000, Java 10,000; a million takes about an eighth of a second.
pub const MAX_ITERATIONS: u64 = 1_000_000;

/// Iterations of every key derivation a file asks for, added up (scrypt counted as
/// [`scrypt_work`] iterations).
pub const MAX_TOTAL_ITERATIONS: u64 = 10_000_000;

/// What one scrypt derivation costs, in PBKDF2 iterations: N·r·p. scrypt's ROMix runs 4·N·r
/// Salsa20/8 cores in each of its p lanes, and four of those take about as long as one
/// PBKDF2-HMAC-SHA256 iteration (two SHA-256 compressions): OpenSSL 3.0 on a 2-core x86-64
/// measured 0.47 µs per N·r·p unit (N = 2¹⁶, r = 8, p = 16: 3.96 s) against 0.62 µs per PBKDF2
/// iteration (10⁶: 0.62 s). One scrypt derivation may cost at most [`MAX_ITERATIONS`], like any
/// other, and counts toward [`MAX_TOTAL_ITERATIONS`].
pub fn scrypt_work(n: u64, r: u64, p: u64) -> u64 {
    n.saturating_mul(r).saturating_mul(p)
}

/// Memory one scrypt key derivation may need (128·N·r bytes); `openssl pkcs8 -scrypt` needs 16 MiB.
pub const MAX_SCRYPT_MEMORY: u64 = 64 * 1024 * 1024;

/// scrypt's parallelism `p` (each unit repeats the whole derivation).
pub const MAX_SCRYPT_PARALLELISM: u64 = 16;

/// PKCS#12 `SafeContents` bags nested inside one another.
pub const MAX_NESTING: usize = 8;

/// Certificates in one chain, leaf included (OpenSSL's and BoringSSL's own verify limit).
pub const MAX_CHAIN_LENGTH: usize = 100;

/// A response body is read up to this many bytes by default (`--max-body` changes it).
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;

/// Response header lines a server may send.
pub const MAX_RESPONSE_HEADERS: usize = 100;

/// Bytes of the response's status line and headers together.
pub const MAX_RESPONSE_HEAD: usize = 64 * 1024;

/// Each network phase (DNS, connect, TLS handshake, response headers, each body read) by
/// default (`--timeout` changes it).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15);

/// The whole response body, however slowly it trickles in, is read within this many times
/// the phase timeout.
pub const BODY_DEADLINE_FACTOR: u32 = 2;

/// The local echo server gives a client this long to finish its TLS handshake and request.
pub const ECHO_CLIENT_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections the local echo server holds open at once; one more is closed as soon as it is
/// accepted.
pub const ECHO_MAX_CONNECTIONS: usize = 128;

/// How long one connection to the local echo server may stay open, busy or idle (HTTP/2
/// connections would otherwise stay as long as the client answers pings).
pub const ECHO_CONNECTION_LIFETIME: Duration = Duration::from_secs(120);

/// Request header lines the local echo server accepts.
pub const ECHO_MAX_REQUEST_HEADERS: usize = 100;

/// Bytes of a request's line and headers the local echo server accepts.
pub const ECHO_MAX_REQUEST_HEAD: usize = 64 * 1024;

/// A count printed with thousands separators (`1,000,000`), for limits in error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count(pub u64);

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.0.to_string();
        for (i, digit) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                f.write_str(",")?;
            }
            write!(f, "{digit}")?;
        }
        Ok(())
    }
}

/// The largest answer the Cloudflare API may give one call of the setup check.
pub const MAX_API_RESPONSE: usize = 8 * 1024 * 1024;

/// The most pages one list of the Cloudflare API is read to (50 items each).
pub const MAX_API_PAGES: u64 = 200;

#[cfg(test)]
mod tests {
    use super::Count;

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(Count(0).to_string(), "0");
        assert_eq!(Count(999).to_string(), "999");
        assert_eq!(Count(2_048).to_string(), "2,048");
        assert_eq!(Count(1_000_000).to_string(), "1,000,000");
        assert_eq!(Count(u64::MAX).to_string(), "18,446,744,073,709,551,615");
    }
}
