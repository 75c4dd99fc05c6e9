//! BoringSSL, built from source by `boring-sys`, asked what Cloudflare's edge asks it: the
//! calls nginx makes for its `$ssl_client_*` variables (`X509_NAME_print_ex` with
//! `XN_FLAG_RFC2253`, `X509_NAME_oneline`, `i2a_ASN1_INTEGER`, `ASN1_TIME_print`,
//! `X509_digest`), and `X509_verify_cert` as a TLS server runs it for a client certificate
//! (purpose `ssl_client`, an accept-all callback so that the last error is the one reported).
//! The tests hold Certlens's `cloudflare` profile to these answers.

use std::ffi::{CStr, c_int, c_long, c_void};
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

/// How the server verifies: the moment, `ssl_verify_depth`, `X509_V_FLAG_PARTIAL_CHAIN`.
#[derive(Debug, Clone, Copy)]
pub struct VerifyOptions {
    /// Seconds since the Unix epoch.
    pub at: i64,
    /// The verify depth.
    pub depth: i32,
    /// Accept a chain ending at any trusted certificate.
    pub partial_chain: bool,
}

/// `X509_verify_cert` as BoringSSL's libssl runs it for a server verifying a client
/// (`ssl_crypto_x509_session_verify_cert_chain`): the peer's certificates (leaf first) as the
/// untrusted pool, `X509_STORE_CTX_set_default(ctx, "ssl_client")`, and an accept-all
/// callback, so the last error raised is the one reported. `SUCCESS` or `FAILED:<reason>`;
/// `None` when BoringSSL cannot parse one of the certificates.
pub fn verify(
    leaf: &[u8],
    chain: &[Vec<u8>],
    trusted: &[Vec<u8>],
    options: VerifyOptions,
) -> Option<String> {
    let leaf = X509::from_der(leaf)?;
    let chain: Vec<X509> = chain
        .iter()
        .map(|d| X509::from_der(d))
        .collect::<Option<_>>()?;
    let trusted: Vec<X509> = trusted
        .iter()
        .map(|d| X509::from_der(d))
        .collect::<Option<_>>()?;
    // SAFETY: every object is created and freed here; the store and stack only borrow the
    // certificates, which outlive them.
    unsafe {
        let store = ffi::X509_STORE_new();
        for cert in &trusted {
            ffi::X509_STORE_add_cert(store, cert.0);
        }
        let untrusted = ffi::OPENSSL_sk_new_null();
        ffi::OPENSSL_sk_push(untrusted, leaf.0.cast::<c_void>());
        for cert in &chain {
            ffi::OPENSSL_sk_push(untrusted, cert.0.cast::<c_void>());
        }
        let ctx = ffi::X509_STORE_CTX_new();
        ffi::X509_STORE_CTX_init(ctx, store, leaf.0, untrusted.cast());
        ffi::X509_STORE_CTX_set_default(ctx, c"ssl_client".as_ptr());
        let param = ffi::X509_STORE_CTX_get0_param(ctx);
        ffi::X509_VERIFY_PARAM_set_depth(param, options.depth);
        ffi::X509_VERIFY_PARAM_set_time_posix(param, options.at);
        if options.partial_chain {
            ffi::X509_VERIFY_PARAM_set_flags(param, ffi::X509_V_FLAG_PARTIAL_CHAIN as _);
        }
        ffi::X509_STORE_CTX_set_verify_cb(ctx, Some(accept_all));
        ffi::X509_verify_cert(ctx);
        let error = ffi::X509_STORE_CTX_get_error(ctx);
        let verdict = if error == ffi::X509_V_OK as c_int {
            "SUCCESS".to_owned()
        } else {
            let reason = CStr::from_ptr(ffi::X509_verify_cert_error_string(error as c_long));
            format!("FAILED:{}", reason.to_string_lossy())
        };
        ffi::X509_STORE_CTX_free(ctx);
        ffi::OPENSSL_sk_free(untrusted);
        ffi::X509_STORE_free(store);
        Some(verdict)
    }
}

/// nginx's `ssl_verify_client optional`: every error is noted, none stops the walk.
unsafe extern "C" fn accept_all(_ok: c_int, _ctx: *mut ffi::X509_STORE_CTX) -> c_int {
    1
}
