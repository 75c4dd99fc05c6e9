//! The PKCS#12 key derivation (RFC 7292, appendix B.2) and HMAC, over any digest aws-lc-rs
//! provides. Ours rather than a crate's because the password bytes must be given exactly as
//! OpenSSL forms them (a zero-length password is not the empty BMPString), and because a long
//! derivation must stop when the load is cancelled.

use aws_lc_rs::digest::{self, Algorithm};
use zeroize::Zeroizing;

use crate::identity::{Cancel, LoadError};

/// What the derived bytes are for (RFC 7292 B.3's diversifier `ID`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// 1: an encryption key.
    Key = 1,
    /// 2: an initialisation vector.
    Iv = 2,
    /// 3: a MAC key.
    Mac = 3,
}

/// How many rounds run between two looks at the cancel flag.
const ROUNDS_PER_CHECK: u64 = 16_384;

/// Derives `length` bytes from `password` (already in its BMPString form, terminator
/// included; empty for OpenSSL's NULL password) and `salt`, hashing `rounds` times.
pub(crate) fn derive(
    algorithm: &'static Algorithm,
    password: &[u8],
    salt: &[u8],
    purpose: Purpose,
    rounds: u64,
    length: usize,
    cancel: &Cancel,
) -> Result<Zeroizing<Vec<u8>>, LoadError> {
    let v = algorithm.block_len();
    let u = algorithm.output_len();
    let diversifier = vec![purpose as u8; v];
    // I = S || P, each repeated to a whole number of v-byte blocks.
    let repeat = |source: &[u8]| -> Vec<u8> {
        let len = v * source.len().div_ceil(v);
        (0..len).map(|i| source[i % source.len()]).collect()
    };
    let mut input = Zeroizing::new(repeat(salt));
    input.extend_from_slice(&Zeroizing::new(repeat(password)));

    let mut out = Zeroizing::new(Vec::with_capacity(length));
    loop {
        let mut context = digest::Context::new(algorithm);
        context.update(&diversifier);
        context.update(&input);
        let mut a = context.finish();
        for round in 1..rounds.max(1) {
            if round % ROUNDS_PER_CHECK == 0 {
                cancel.check()?;
            }
            a = digest::digest(algorithm, a.as_ref());
        }
        let a = Zeroizing::new(a.as_ref().to_vec());
        let take = (length - out.len()).min(u);
        out.extend_from_slice(&a[..take]);
        if out.len() == length {
            return Ok(out);
        }
        // I_j = (I_j + B + 1) mod 2^v for every block, where B is A repeated to v bytes.
        let b = Zeroizing::new(repeat(&a));
        for block in input.chunks_mut(v) {
            let mut carry = 1u16;
            for (byte, add) in block.iter_mut().zip(b.iter()).rev() {
                let sum = u16::from(*byte) + u16::from(*add) + carry;
                *byte = sum as u8;
                carry = sum >> 8;
            }
        }
    }
}

/// HMAC (RFC 2104) of `data` under `key`.
pub(crate) fn hmac(algorithm: &'static Algorithm, key: &[u8], data: &[u8]) -> Zeroizing<Vec<u8>> {
    let block = algorithm.block_len();
    let mut padded = Zeroizing::new(if key.len() > block {
        digest::digest(algorithm, key).as_ref().to_vec()
    } else {
        key.to_vec()
    });
    padded.resize(block, 0);
    let pad = |byte: u8| -> Zeroizing<Vec<u8>> {
        Zeroizing::new(padded.iter().map(|k| k ^ byte).collect())
    };
    let mut inner = digest::Context::new(algorithm);
    inner.update(&pad(0x36));
    inner.update(data);
    let inner = inner.finish();
    let mut outer = digest::Context::new(algorithm);
    outer.update(&pad(0x5C));
    outer.update(inner.as_ref());
    Zeroizing::new(outer.finish().as_ref().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The BMPString form of an ASCII password, with its terminator.
    fn bmp(text: &str) -> Vec<u8> {
        text.encode_utf16()
            .chain([0])
            .flat_map(u16::to_be_bytes)
            .collect()
    }

    /// Vectors from the RustCrypto `pkcs12` crate's KDF tests (SHA-256, password "ge@äheim"),
    /// cross-checked with OpenSSL's `PKCS12_key_gen_utf8`.
    #[test]
    fn derivation_matches_known_vectors() {
        let salt = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08];
        let never = Cancel::new();
        let key = derive(
            &digest::SHA256,
            &bmp("ge@äheim"),
            &salt,
            Purpose::Key,
            100,
            32,
            &never,
        )
        .unwrap();
        assert_eq!(
            hex(&key),
            "fae4d4957a3cc781e1180b9d4fb79c1e0c8579b746a3177e5b0768a3118bf863"
        );
        let iv = derive(
            &digest::SHA256,
            &bmp("ge@äheim"),
            &salt,
            Purpose::Iv,
            100,
            32,
            &never,
        )
        .unwrap();
        assert_eq!(
            hex(&iv),
            "e5ff813bc6547de5155b14d2fada85b3201a977349db6e26ccc998d9e8f83d6c"
        );
        let mac = derive(
            &digest::SHA256,
            &bmp("ge@äheim"),
            &salt,
            Purpose::Mac,
            100,
            32,
            &never,
        )
        .unwrap();
        assert_eq!(
            hex(&mac),
            "136355ed9434516682534f46d63956db5ff06b844702c2c1f3b46321e2524a4d"
        );
    }

    #[test]
    fn output_longer_than_one_digest_is_chained() {
        let never = Cancel::new();
        let long = derive(
            &digest::SHA256,
            &bmp("x"),
            &[9; 8],
            Purpose::Key,
            10,
            100,
            &never,
        )
        .unwrap();
        let short = derive(
            &digest::SHA256,
            &bmp("x"),
            &[9; 8],
            Purpose::Key,
            10,
            32,
            &never,
        )
        .unwrap();
        assert_eq!(long.len(), 100);
        assert_eq!(&long[..32], &short[..]);
    }

    #[test]
    fn a_cancelled_derivation_stops() {
        let cancel = Cancel::new();
        cancel.cancel();
        let result = derive(
            &digest::SHA256,
            &bmp("x"),
            &[1; 8],
            Purpose::Mac,
            1_000_000,
            32,
            &cancel,
        );
        assert!(matches!(result, Err(LoadError::Cancelled)));
    }

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac(&digest::SHA256, b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
