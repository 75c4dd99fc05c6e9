//! BoringSSL, built from source by `boring-sys`, asked what Cloudflare's edge asks it: the
//! calls nginx makes for its `$ssl_client_*` variables (`X509_NAME_print_ex` with
//! `XN_FLAG_RFC2253`, `X509_NAME_oneline`, `i2a_ASN1_INTEGER`, `ASN1_TIME_print`,
//! `X509_digest`), and `X509_verify_cert` as a TLS server runs it for a client certificate
//! (purpose `ssl_client`, an accept-all callback so that the last error is the one reported).
//! The tests hold Certlens's `cloudflare` profile to these answers.
//!
//! Two generations of `X509_verify_cert` are linked: the current one `boring-sys` builds
//! (`BORINGSSL_API_VERSION` 44) and an older one (API version 42, built by `build.rs` with its
//! symbols prefixed) that still has `internal_verify` and so Cloudflare's documented
//! `unable to verify the first certificate`.

use std::ffi::{CStr, c_int, c_long};
use std::ptr;

use boring_sys as ffi;

/// One certificate as BoringSSL parsed it.
pub struct X509(*mut ffi::X509);

impl Drop for X509 {
    fn drop(&mut self) {
        // SAFETY: the pointer came from d2i_X509 and is freed once.
        unsafe { ffi::X509_free(self.0) }
    }
}

impl X509 {
    /// Parses DER as BoringSSL does; `None` when BoringSSL refuses the certificate (a TLS
    /// handshake presenting it would fail).
    pub fn from_der(der: &[u8]) -> Option<Self> {
        let mut input = der.as_ptr();
        // SAFETY: input points at der.len() readable bytes; d2i advances it.
        let cert = unsafe { ffi::d2i_X509(ptr::null_mut(), &mut input, der.len() as c_long) };
        if cert.is_null() {
            return None;
        }
        let cert = Self(cert);
        // Trailing bytes: not one certificate.
        (input as usize - der.as_ptr() as usize == der.len()).then_some(cert)
    }

    /// `$ssl_client_s_dn`.
    pub fn subject_rfc2253(&self) -> Option<String> {
        // SAFETY: the name belongs to the live certificate.
        rfc2253(unsafe { ffi::X509_get_subject_name(self.0) })
    }

    /// `$ssl_client_i_dn`.
    pub fn issuer_rfc2253(&self) -> Option<String> {
        // SAFETY: as above.
        rfc2253(unsafe { ffi::X509_get_issuer_name(self.0) })
    }

    /// `$ssl_client_s_dn_legacy`.
    pub fn subject_oneline(&self) -> Option<String> {
        // SAFETY: as above.
        oneline(unsafe { ffi::X509_get_subject_name(self.0) })
    }

    /// `$ssl_client_i_dn_legacy`.
    pub fn issuer_oneline(&self) -> Option<String> {
        // SAFETY: as above.
        oneline(unsafe { ffi::X509_get_issuer_name(self.0) })
    }

    /// `$ssl_client_serial`.
    pub fn serial(&self) -> Option<String> {
        // SAFETY: the serial belongs to the live certificate; the BIO is ours.
        counted(with_bio(|bio| unsafe {
            ffi::i2a_ASN1_INTEGER(bio, ffi::X509_get0_serialNumber(self.0))
        }))
    }

    /// `$ssl_client_v_start`, as nginx fills it.
    pub fn not_before(&self) -> Option<String> {
        // SAFETY: as above.
        time(with_bio(|bio| unsafe {
            ffi::ASN1_TIME_print(bio, ffi::X509_get0_notBefore(self.0))
        }))
    }

    /// `$ssl_client_v_end`, as nginx fills it.
    pub fn not_after(&self) -> Option<String> {
        // SAFETY: as above.
        time(with_bio(|bio| unsafe {
            ffi::ASN1_TIME_print(bio, ffi::X509_get0_notAfter(self.0))
        }))
    }

    /// `X509_digest` with SHA-1 or SHA-256, lowercase hex (nginx's `ngx_hex_dump`).
    pub fn fingerprint(&self, sha256: bool) -> String {
        let mut out = [0u8; 64];
        let mut len: u32 = 0;
        // SAFETY: out holds EVP_MAX_MD_SIZE bytes.
        let ok = unsafe {
            let md = if sha256 {
                ffi::EVP_sha256()
            } else {
                ffi::EVP_sha1()
            };
            ffi::X509_digest(self.0, md, out.as_mut_ptr(), &mut len)
        };
        assert_eq!(ok, 1, "X509_digest");
        out[..len as usize]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// The subjectKeyIdentifier's octets, uppercase hex; empty without the extension.
    pub fn subject_key_id(&self) -> String {
        // SAFETY: the returned string belongs to the certificate.
        unsafe {
            let id = ffi::X509_get0_subject_key_id(self.0);
            if id.is_null() {
                return String::new();
            }
            let data = ffi::ASN1_STRING_get0_data(id);
            let len = ffi::ASN1_STRING_length(id) as usize;
            std::slice::from_raw_parts(data, len)
                .iter()
                .map(|b| format!("{b:02X}"))
                .collect()
        }
    }
}

fn rfc2253(name: *const ffi::X509_NAME) -> Option<String> {
    // SAFETY: the name is live; the BIO is ours.
    counted(with_bio(|bio| unsafe {
        ffi::X509_NAME_print_ex(bio, name, 0, ffi::XN_FLAG_RFC2253 as _)
    }))
}

fn oneline(name: *const ffi::X509_NAME) -> Option<String> {
    // SAFETY: X509_NAME_oneline allocates the result, which is freed here.
    unsafe {
        let text = ffi::X509_NAME_oneline(name, ptr::null_mut(), 0);
        if text.is_null() {
            return None;
        }
        let owned = CStr::from_ptr(text).to_string_lossy().into_owned();
        ffi::OPENSSL_free(text.cast());
        Some(owned)
    }
}

/// Runs `write` into a memory BIO: what it returned, and what it wrote.
fn with_bio(write: impl FnOnce(*mut ffi::BIO) -> c_int) -> (c_int, String) {
    // SAFETY: the BIO is created, read and freed here.
    unsafe {
        let bio = ffi::BIO_new(ffi::BIO_s_mem());
        let written = write(bio);
        let mut data: *const u8 = ptr::null();
        let mut len: usize = 0;
        ffi::BIO_mem_contents(bio, &mut data, &mut len);
        let text = if len == 0 {
            String::new()
        } else {
            String::from_utf8_lossy(std::slice::from_raw_parts(data, len)).into_owned()
        };
        ffi::BIO_free(bio);
        (written, text)
    }
}

/// A printer's text when it reports success by a non-negative count.
fn counted((written, text): (c_int, String)) -> Option<String> {
    (written >= 0).then_some(text)
}

/// What `ASN1_TIME_print` wrote: nginx ignores its return value, so on failure the variable
/// holds whatever it printed (`Bad time value`).
fn time((_, text): (c_int, String)) -> Option<String> {
    Some(text)
}

mod verify;

pub use verify::{VerifyOptions, current, older};
