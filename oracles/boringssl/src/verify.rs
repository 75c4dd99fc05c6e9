//! `X509_verify_cert` as BoringSSL's libssl runs it for a server verifying a client
//! (`ssl_crypto_x509_session_verify_cert_chain`), once per BoringSSL generation: the same
//! calls, linked to the current library (`current`) or to the older, prefixed one (`older`).

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

/// `X509_V_FLAG_PARTIAL_CHAIN`, the same in both generations.
const PARTIAL_CHAIN: std::ffi::c_ulong = 0x80000;

/// Declares the calls under `$prefix` and writes the one verify function over them.
macro_rules! x509_verify_cert {
    ($module:ident, $prefix:literal, $what:literal) => {
        #[doc = concat!("`X509_verify_cert` of ", $what, ".")]
        pub mod $module {
            use std::ffi::{CStr, c_char, c_int, c_long, c_ulong, c_void};
            use std::ptr;

            use super::{PARTIAL_CHAIN, VerifyOptions};

            type Callback = unsafe extern "C" fn(c_int, *mut c_void) -> c_int;

            #[allow(non_snake_case)]
            unsafe extern "C" {
                #[link_name = concat!($prefix, "d2i_X509")]
                fn d2i_X509(
                    out: *mut *mut c_void,
                    input: *mut *const u8,
                    len: c_long,
                ) -> *mut c_void;
                #[link_name = concat!($prefix, "X509_free")]
                fn X509_free(cert: *mut c_void);
                #[link_name = concat!($prefix, "X509_STORE_new")]
                fn X509_STORE_new() -> *mut c_void;
                #[link_name = concat!($prefix, "X509_STORE_add_cert")]
                fn X509_STORE_add_cert(store: *mut c_void, cert: *mut c_void) -> c_int;
                #[link_name = concat!($prefix, "X509_STORE_free")]
                fn X509_STORE_free(store: *mut c_void);
                #[link_name = concat!($prefix, "OPENSSL_sk_new_null")]
                fn OPENSSL_sk_new_null() -> *mut c_void;
                #[link_name = concat!($prefix, "OPENSSL_sk_push")]
                fn OPENSSL_sk_push(stack: *mut c_void, item: *mut c_void) -> usize;
                #[link_name = concat!($prefix, "OPENSSL_sk_free")]
                fn OPENSSL_sk_free(stack: *mut c_void);
                #[link_name = concat!($prefix, "X509_STORE_CTX_new")]
                fn X509_STORE_CTX_new() -> *mut c_void;
                #[link_name = concat!($prefix, "X509_STORE_CTX_init")]
                fn X509_STORE_CTX_init(
                    ctx: *mut c_void,
                    store: *mut c_void,
                    leaf: *mut c_void,
                    untrusted: *mut c_void,
                ) -> c_int;
                #[link_name = concat!($prefix, "X509_STORE_CTX_set_default")]
                fn X509_STORE_CTX_set_default(ctx: *mut c_void, name: *const c_char) -> c_int;
                #[link_name = concat!($prefix, "X509_STORE_CTX_get0_param")]
                fn X509_STORE_CTX_get0_param(ctx: *mut c_void) -> *mut c_void;
                #[link_name = concat!($prefix, "X509_VERIFY_PARAM_set_depth")]
                fn X509_VERIFY_PARAM_set_depth(param: *mut c_void, depth: c_int);
                #[link_name = concat!($prefix, "X509_VERIFY_PARAM_set_time_posix")]
                fn X509_VERIFY_PARAM_set_time_posix(param: *mut c_void, at: i64);
                #[link_name = concat!($prefix, "X509_VERIFY_PARAM_set_flags")]
                fn X509_VERIFY_PARAM_set_flags(param: *mut c_void, flags: c_ulong) -> c_int;
                #[link_name = concat!($prefix, "X509_STORE_CTX_set_verify_cb")]
                fn X509_STORE_CTX_set_verify_cb(ctx: *mut c_void, callback: Option<Callback>);
                #[link_name = concat!($prefix, "X509_verify_cert")]
                fn X509_verify_cert(ctx: *mut c_void) -> c_int;
                #[link_name = concat!($prefix, "X509_STORE_CTX_get_error")]
                fn X509_STORE_CTX_get_error(ctx: *mut c_void) -> c_int;
                #[link_name = concat!($prefix, "X509_verify_cert_error_string")]
                fn X509_verify_cert_error_string(error: c_long) -> *const c_char;
                #[link_name = concat!($prefix, "X509_STORE_CTX_free")]
                fn X509_STORE_CTX_free(ctx: *mut c_void);
            }

            /// One certificate as this BoringSSL parsed it, freed on drop.
            struct Parsed(*mut c_void);

            impl Drop for Parsed {
                fn drop(&mut self) {
                    // SAFETY: the pointer came from d2i_X509 and is freed once.
                    unsafe { X509_free(self.0) }
                }
            }

            /// Parses DER; `None` when this BoringSSL refuses it or bytes follow it.
            fn parse(der: &[u8]) -> Option<Parsed> {
                let mut input = der.as_ptr();
                // SAFETY: input points at der.len() readable bytes; d2i advances it.
                let cert = unsafe { d2i_X509(ptr::null_mut(), &mut input, der.len() as c_long) };
                if cert.is_null() {
                    return None;
                }
                let cert = Parsed(cert);
                (input as usize - der.as_ptr() as usize == der.len()).then_some(cert)
            }

            /// The peer's certificates (leaf first) as the untrusted pool,
            /// `X509_STORE_CTX_set_default(ctx, "ssl_client")`, and an accept-all callback
            /// (nginx's `ssl_verify_client optional`), so the last error raised is the one
            /// reported. `SUCCESS` or `FAILED:<reason>`; `None` when this BoringSSL cannot
            /// parse one of the certificates.
            pub fn verify(
                leaf: &[u8],
                chain: &[Vec<u8>],
                trusted: &[Vec<u8>],
                options: VerifyOptions,
            ) -> Option<String> {
                let leaf = parse(leaf)?;
                let chain: Vec<Parsed> = chain.iter().map(|d| parse(d)).collect::<Option<_>>()?;
                let trusted: Vec<Parsed> =
                    trusted.iter().map(|d| parse(d)).collect::<Option<_>>()?;
                // SAFETY: every object is created and freed here; the store and stack only
                // borrow the certificates, which outlive them.
                unsafe {
                    let store = X509_STORE_new();
                    for cert in &trusted {
                        X509_STORE_add_cert(store, cert.0);
                    }
                    let untrusted = OPENSSL_sk_new_null();
                    OPENSSL_sk_push(untrusted, leaf.0);
                    for cert in &chain {
                        OPENSSL_sk_push(untrusted, cert.0);
                    }
                    let ctx = X509_STORE_CTX_new();
                    X509_STORE_CTX_init(ctx, store, leaf.0, untrusted);
                    X509_STORE_CTX_set_default(ctx, c"ssl_client".as_ptr());
                    let param = X509_STORE_CTX_get0_param(ctx);
                    X509_VERIFY_PARAM_set_depth(param, options.depth);
                    X509_VERIFY_PARAM_set_time_posix(param, options.at);
                    if options.partial_chain {
                        X509_VERIFY_PARAM_set_flags(param, PARTIAL_CHAIN);
                    }
                    X509_STORE_CTX_set_verify_cb(ctx, Some(accept_all));
                    X509_verify_cert(ctx);
                    let error = X509_STORE_CTX_get_error(ctx);
                    let verdict = if error == 0 {
                        "SUCCESS".to_owned()
                    } else {
                        let reason = CStr::from_ptr(X509_verify_cert_error_string(error as c_long));
                        format!("FAILED:{}", reason.to_string_lossy())
                    };
                    X509_STORE_CTX_free(ctx);
                    OPENSSL_sk_free(untrusted);
                    X509_STORE_free(store);
                    Some(verdict)
                }
            }

            /// nginx's `ssl_verify_client optional`: every error is noted, none stops the walk.
            unsafe extern "C" fn accept_all(_ok: c_int, _ctx: *mut c_void) -> c_int {
                1
            }
        }
    };
}

x509_verify_cert!(
    current,
    "",
    "the BoringSSL `boring-sys` 5.4.0 builds (`BORINGSSL_API_VERSION` 44), which rewrote \
     `internal_verify` as `check_chain_signatures_and_time`"
);
x509_verify_cert!(
    older,
    "CERTLENS_BSSL42_",
    "the older BoringSSL (`BORINGSSL_API_VERSION` 42, as grpcio 1.85.1 vendors it), whose \
     `internal_verify` raises `X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE`"
);
