//! OpenSSL 3 — the system's libcrypto, the one Debian's nginx links — asked what nginx asks it
//! when it verifies a client certificate: `X509_verify_cert` as libssl's
//! `ssl_verify_cert_chain` runs it for a server (the peer's certificates as the untrusted pool,
//! `X509_STORE_CTX_set_default(ctx, "ssl_client")`, the security level as the authentication
//! level), with nginx's accept-all callback so that the last error is the one reported. The
//! tests hold Certlens's `nginx` profile to these answers on chains nginx could not be shown.

use std::ffi::{CStr, c_char, c_int, c_long, c_ulong, c_void};
use std::ptr;

/// The few libcrypto functions the oracle calls, declared as OpenSSL 3's headers do.
mod ffi {
    use super::{c_char, c_int, c_long, c_ulong, c_void};

    macro_rules! opaque {
        ($($name:ident),*) => {$(
            #[repr(C)]
            pub struct $name {
                _private: [u8; 0],
            }
        )*};
    }
    opaque!(
        X509,
        X509_CRL,
        X509_STORE,
        X509_STORE_CTX,
        X509_VERIFY_PARAM,
        OPENSSL_STACK
    );

    pub type VerifyCallback = unsafe extern "C" fn(c_int, *mut X509_STORE_CTX) -> c_int;

    #[link(name = "crypto")]
    unsafe extern "C" {
        pub fn d2i_X509(out: *mut *mut X509, input: *mut *const u8, len: c_long) -> *mut X509;
        pub fn X509_free(x: *mut X509);
        pub fn d2i_X509_CRL(
            out: *mut *mut X509_CRL,
            input: *mut *const u8,
            len: c_long,
        ) -> *mut X509_CRL;
        pub fn X509_CRL_free(crl: *mut X509_CRL);
        pub fn X509_STORE_new() -> *mut X509_STORE;
        pub fn X509_STORE_free(store: *mut X509_STORE);
        pub fn X509_STORE_add_cert(store: *mut X509_STORE, x: *mut X509) -> c_int;
        pub fn X509_STORE_add_crl(store: *mut X509_STORE, crl: *mut X509_CRL) -> c_int;
        pub fn OPENSSL_sk_new_null() -> *mut OPENSSL_STACK;
        pub fn OPENSSL_sk_push(stack: *mut OPENSSL_STACK, data: *const c_void) -> c_int;
        pub fn OPENSSL_sk_free(stack: *mut OPENSSL_STACK);
        pub fn X509_STORE_CTX_new() -> *mut X509_STORE_CTX;
        pub fn X509_STORE_CTX_free(ctx: *mut X509_STORE_CTX);
        pub fn X509_STORE_CTX_init(
            ctx: *mut X509_STORE_CTX,
            store: *mut X509_STORE,
            x: *mut X509,
            chain: *mut OPENSSL_STACK,
        ) -> c_int;
        pub fn X509_STORE_CTX_set_default(ctx: *mut X509_STORE_CTX, name: *const c_char) -> c_int;
        pub fn X509_STORE_CTX_get0_param(ctx: *mut X509_STORE_CTX) -> *mut X509_VERIFY_PARAM;
        pub fn X509_STORE_CTX_set_verify_cb(ctx: *mut X509_STORE_CTX, cb: Option<VerifyCallback>);
        pub fn X509_STORE_CTX_get_error(ctx: *mut X509_STORE_CTX) -> c_int;
        pub fn X509_VERIFY_PARAM_set_depth(param: *mut X509_VERIFY_PARAM, depth: c_int);
        pub fn X509_VERIFY_PARAM_set_time(param: *mut X509_VERIFY_PARAM, t: i64);
        pub fn X509_VERIFY_PARAM_set_flags(param: *mut X509_VERIFY_PARAM, flags: c_ulong) -> c_int;
        pub fn X509_VERIFY_PARAM_set_auth_level(param: *mut X509_VERIFY_PARAM, level: c_int);
        pub fn X509_verify_cert(ctx: *mut X509_STORE_CTX) -> c_int;
        pub fn X509_verify_cert_error_string(n: c_long) -> *const c_char;
    }
}

/// `X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL`, as nginx's `ssl_crl` sets them.
const CRL_CHECK_ALL: c_ulong = 0x4 | 0x8;
/// `X509_V_FLAG_PARTIAL_CHAIN`.
const PARTIAL_CHAIN: c_ulong = 0x80000;

/// How the server verifies: the moment, `ssl_verify_depth`, partial chains, `ssl_crl`.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// Seconds since the Unix epoch.
    pub at: i64,
    /// The verify depth.
    pub depth: i32,
    /// Accept a chain ending at any trusted certificate.
    pub partial_chain: bool,
    /// Revocation lists (DER); when any is given, every certificate of the chain is checked.
    pub crls: Vec<Vec<u8>>,
}

struct Owned<T>(*mut T, unsafe extern "C" fn(*mut T));

impl<T> Drop for Owned<T> {
    fn drop(&mut self) {
        // SAFETY: the pointer came from the matching constructor and is freed once.
        unsafe { (self.1)(self.0) }
    }
}

fn parse_certificate(der: &[u8]) -> Option<Owned<ffi::X509>> {
    let mut input = der.as_ptr();
    // SAFETY: input points at der.len() readable bytes.
    let cert = unsafe { ffi::d2i_X509(ptr::null_mut(), &mut input, der.len() as c_long) };
    (!cert.is_null()).then(|| Owned(cert, ffi::X509_free))
}

fn parse_crl(der: &[u8]) -> Option<Owned<ffi::X509_CRL>> {
    let mut input = der.as_ptr();
    // SAFETY: as above.
    let crl = unsafe { ffi::d2i_X509_CRL(ptr::null_mut(), &mut input, der.len() as c_long) };
    (!crl.is_null()).then(|| Owned(crl, ffi::X509_CRL_free))
}

/// `X509_verify_cert` as nginx runs it; `SUCCESS` or `FAILED:<reason>`, or `None` when OpenSSL
/// cannot parse one of the certificates or revocation lists.
pub fn verify(
    leaf: &[u8],
    chain: &[Vec<u8>],
    trusted: &[Vec<u8>],
    options: &VerifyOptions,
) -> Option<String> {
    let leaf = parse_certificate(leaf)?;
    let chain: Vec<_> = chain
        .iter()
        .map(|d| parse_certificate(d))
        .collect::<Option<_>>()?;
    let trusted: Vec<_> = trusted
        .iter()
        .map(|d| parse_certificate(d))
        .collect::<Option<_>>()?;
    let crls: Vec<_> = options
        .crls
        .iter()
        .map(|d| parse_crl(d))
        .collect::<Option<_>>()?;
    // SAFETY: every object is created and freed here; the store copies what it keeps (with a
    // reference count), and the stack borrows certificates that outlive it.
    unsafe {
        let store = Owned(ffi::X509_STORE_new(), ffi::X509_STORE_free);
        for cert in &trusted {
            ffi::X509_STORE_add_cert(store.0, cert.0);
        }
        for crl in &crls {
            ffi::X509_STORE_add_crl(store.0, crl.0);
        }
        let untrusted = Owned(ffi::OPENSSL_sk_new_null(), ffi::OPENSSL_sk_free);
        ffi::OPENSSL_sk_push(untrusted.0, leaf.0.cast::<c_void>());
        for cert in &chain {
            ffi::OPENSSL_sk_push(untrusted.0, cert.0.cast::<c_void>());
        }
        let ctx = Owned(ffi::X509_STORE_CTX_new(), ffi::X509_STORE_CTX_free);
        ffi::X509_STORE_CTX_init(ctx.0, store.0, leaf.0, untrusted.0);
        ffi::X509_STORE_CTX_set_default(ctx.0, c"ssl_client".as_ptr());
        let param = ffi::X509_STORE_CTX_get0_param(ctx.0);
        ffi::X509_VERIFY_PARAM_set_depth(param, options.depth);
        ffi::X509_VERIFY_PARAM_set_time(param, options.at);
        // Debian's OpenSSL runs at security level 2; libssl makes it the authentication level.
        ffi::X509_VERIFY_PARAM_set_auth_level(param, 2);
        let mut flags = 0;
        if options.partial_chain {
            flags |= PARTIAL_CHAIN;
        }
        if !crls.is_empty() {
            flags |= CRL_CHECK_ALL;
        }
        if flags != 0 {
            ffi::X509_VERIFY_PARAM_set_flags(param, flags);
        }
        ffi::X509_STORE_CTX_set_verify_cb(ctx.0, Some(accept_all));
        ffi::X509_verify_cert(ctx.0);
        let error = ffi::X509_STORE_CTX_get_error(ctx.0);
        Some(if error == 0 {
            "SUCCESS".to_owned()
        } else {
            let reason = CStr::from_ptr(ffi::X509_verify_cert_error_string(c_long::from(error)));
            format!("FAILED:{}", reason.to_string_lossy())
        })
    }
}

/// nginx's `ngx_ssl_verify_callback`: every error is noted, none stops the walk.
unsafe extern "C" fn accept_all(_ok: c_int, _ctx: *mut ffi::X509_STORE_CTX) -> c_int {
    1
}
