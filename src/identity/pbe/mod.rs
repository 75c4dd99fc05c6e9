//! Password-based encryption as OpenSSL applies it to PKCS#12 files and encrypted PKCS#8 keys:
//! the forms a password takes (OpenSSL tries more than one), and decryption with PBES2
//! (PBKDF2 or scrypt, AES or DES, by the `pkcs5` crate) and with the PKCS#12 schemes
//! (`pbeWithSHAAnd3-KeyTripleDES-CBC`, RC2 …, RFC 7292 appendix C).

mod algorithms;
pub(crate) mod kdf;

pub(crate) use algorithms::algorithm_name;

use aws_lc_rs::digest;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipherDecrypt, BlockModeDecrypt, KeyInit, KeyIvInit};
use zeroize::Zeroizing;

use crate::certificate::der::{self, tag};

use super::{Cancel, LoadError};

/// 1.2.840.113549.1.5.13
const PBES2: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D];
/// 1.2.840.113549.1.12.1 — the PKCS#12 password-based encryption schemes.
const PKCS12_PBE: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x0C, 0x01];

/// One way of turning the password text into the bytes a derivation starts from.
///
/// OpenSSL's `PKCS12_parse` and the `openssl pkcs12` command try, in order: for an empty
/// password, no password at all (`NULL`: zero bytes) and then the empty BMPString (`00 00`);
/// for any other, its UTF-16 form with surrogate pairs (`OPENSSL_utf82uni`) and then each
/// UTF-8 byte widened to 16 bits (`OPENSSL_asc2uni`, what OpenSSL before 1.1.0 and some
/// Windows tools wrote for non-ASCII passwords).
#[derive(Clone)]
pub(crate) struct PasswordForm {
    /// For the PKCS#12 key derivation: big-endian UTF-16 with a `00 00` terminator, or
    /// nothing for the NULL password.
    bmp: Zeroizing<Vec<u8>>,
    /// For PBES2: the bytes PBKDF2 or scrypt receive.
    bytes: Zeroizing<Vec<u8>>,
}

impl PasswordForm {
    /// The BMPString form, for MAC keys.
    pub(crate) fn bmp(&self) -> &[u8] {
        &self.bmp
    }

    /// Every form OpenSSL would try for `password`, in its order.
    pub(crate) fn all(password: &str) -> Vec<PasswordForm> {
        let bmp_of = |units: &mut dyn Iterator<Item = u16>| -> Zeroizing<Vec<u8>> {
            Zeroizing::new(units.chain([0]).flat_map(u16::to_be_bytes).collect())
        };
        if password.is_empty() {
            return vec![
                PasswordForm {
                    bmp: Zeroizing::new(Vec::new()),
                    bytes: Zeroizing::new(Vec::new()),
                },
                PasswordForm {
                    bmp: bmp_of(&mut std::iter::empty()),
                    bytes: Zeroizing::new(Vec::new()),
                },
            ];
        }
        let mut forms = vec![PasswordForm {
            bmp: bmp_of(&mut password.encode_utf16()),
            bytes: Zeroizing::new(password.as_bytes().to_vec()),
        }];
        if !password.is_ascii() {
            // The widened bytes, and for PBES2 the UTF-8 of those same code points
            // (`OPENSSL_uni2utf8(OPENSSL_asc2uni(pass))`, as `openssl pkcs12` retries it).
            let widened: Zeroizing<String> =
                Zeroizing::new(password.bytes().map(char::from).collect());
            forms.push(PasswordForm {
                bmp: bmp_of(&mut password.bytes().map(u16::from)),
                bytes: Zeroizing::new(widened.as_bytes().to_vec()),
            });
        }
        forms
    }
}

/// Why decryption gave nothing.
#[derive(Debug)]
pub(crate) enum DecryptError {
    /// The scheme or its cipher is not one Certlens implements; the name says which.
    Unsupported(String),
    /// The padding is wrong: a wrong password, or damaged ciphertext.
    Failed,
    /// The encryption parameters themselves do not decode: the file is damaged, whatever the
    /// password. Says which part.
    Damaged(&'static str),
    /// The load was cancelled.
    Cancelled,
}

impl From<LoadError> for DecryptError {
    fn from(_: LoadError) -> Self {
        DecryptError::Cancelled
    }
}

/// Decrypts `ciphertext` under `algorithm` (an `AlgorithmIdentifier`'s DER) with `password`.
/// The caller has already charged the derivation to the file's budget.
pub(crate) fn decrypt(
    algorithm: &[u8],
    ciphertext: &[u8],
    password: &PasswordForm,
    cancel: &Cancel,
) -> Result<Zeroizing<Vec<u8>>, DecryptError> {
    cancel.check()?;
    let unsupported = || DecryptError::Unsupported(algorithm_name(algorithm));
    let damaged = |what| move |_| DecryptError::Damaged(what);
    let identifier = der::parse_single(algorithm, tag::SEQUENCE, "AlgorithmIdentifier")
        .map_err(damaged("the encryption algorithm"))?;
    let mut fields = identifier.reader();
    let oid = fields
        .read(tag::OID, "algorithm")
        .map_err(damaged("the encryption algorithm"))?;
    if let Some(scheme) = oid.value.strip_prefix(PKCS12_PBE) {
        let parameters = fields
            .read(tag::SEQUENCE, "pkcs-12PbeParams")
            .map_err(damaged("the encryption parameters"))?;
        let mut parameters = parameters.reader();
        let salt = parameters
            .read(tag::OCTET_STRING, "salt")
            .map_err(damaged("the encryption parameters (salt)"))?;
        let rounds = parameters
            .read(tag::INTEGER, "iterations")
            .ok()
            .and_then(|count| super::cost::unsigned(count.value))
            .ok_or(DecryptError::Damaged(
                "the encryption parameters (iteration count)",
            ))?;
        let derive = |purpose, length| {
            kdf::derive(
                &digest::SHA1_FOR_LEGACY_USE_ONLY,
                &password.bmp,
                salt.value,
                purpose,
                rounds,
                length,
                cancel,
            )
        };
        return match scheme {
            [3] => cbc_decrypt::<des::TdesEde3>(
                &derive(kdf::Purpose::Key, 24)?,
                &derive(kdf::Purpose::Iv, 8)?,
                ciphertext,
            ),
            [4] => cbc_decrypt::<des::TdesEde2>(
                &derive(kdf::Purpose::Key, 16)?,
                &derive(kdf::Purpose::Iv, 8)?,
                ciphertext,
            ),
            [5] => cbc_decrypt::<rc2::Rc2>(
                &derive(kdf::Purpose::Key, 16)?,
                &derive(kdf::Purpose::Iv, 8)?,
                ciphertext,
            ),
            [6] => cbc_decrypt::<rc2::Rc2>(
                &derive(kdf::Purpose::Key, 5)?,
                &derive(kdf::Purpose::Iv, 8)?,
                ciphertext,
            ),
            _ => Err(unsupported()),
        };
    }
    use pkcs5::der::Decode as _;
    let scheme = pkcs5::EncryptionScheme::from_der(algorithm).map_err(|_| {
        if oid.value == PBES2 {
            DecryptError::Damaged("the PBES2 parameters")
        } else {
            unsupported()
        }
    })?;
    if scheme.pbes2().is_none() {
        return Err(unsupported());
    }
    match scheme.decrypt(&*password.bytes, ciphertext) {
        Ok(plain) => Ok(Zeroizing::new(plain)),
        Err(pkcs5::Error::DecryptFailed) => Err(DecryptError::Failed),
        Err(_) => Err(unsupported()),
    }
}

/// CBC with PKCS#7 padding; bad padding is the usual sign of a wrong password.
pub(crate) fn cbc_decrypt<C>(
    key: &[u8],
    iv: &[u8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, DecryptError>
where
    C: BlockCipherDecrypt + KeyInit,
{
    let decryptor =
        cbc::Decryptor::<C>::new_from_slices(key, iv).map_err(|_| DecryptError::Failed)?;
    decryptor
        .decrypt_padded_vec::<Pkcs7>(ciphertext)
        .map(Zeroizing::new)
        .map_err(|_| DecryptError::Failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_password_is_tried_as_null_and_as_the_empty_bmpstring() {
        let forms = PasswordForm::all("");
        assert_eq!(forms.len(), 2);
        assert_eq!(forms[0].bmp(), b"");
        assert_eq!(forms[1].bmp(), [0, 0]);
    }

    #[test]
    fn characters_outside_the_bmp_become_surrogate_pairs() {
        let forms = PasswordForm::all("a🔑");
        assert_eq!(forms[0].bmp(), [0, 0x61, 0xD8, 0x3D, 0xDD, 0x11, 0, 0]);
        assert_eq!(&*forms[0].bytes, "a🔑".as_bytes());
        // The byte-wise form widens each UTF-8 byte.
        assert_eq!(
            forms[1].bmp(),
            [0, 0x61, 0, 0xF0, 0, 0x9F, 0, 0x94, 0, 0x91, 0, 0]
        );
        assert_eq!(&*forms[1].bytes, "að\u{9f}\u{94}\u{91}".as_bytes());
    }

    #[test]
    fn ascii_passwords_have_one_form() {
        assert_eq!(PasswordForm::all("s3cret").len(), 1);
    }
}
