//! Builds the older BoringSSL (`BORINGSSL_API_VERSION` 42, as grpcio 1.85.1 vendors it) whose
//! `X509_verify_cert` still has `internal_verify`, the function that gives Cloudflare's
//! documented `unable to verify the first certificate`. Its `libcrypto` is compiled from the
//! list of sources grpcio itself compiles (`grpc_core_dependencies.py`), without assembly, and
//! with every symbol prefixed (`BORINGSSL_PREFIX`) so that it links beside `boring-sys`'s
//! current BoringSSL in one test binary.
//!
//! The source comes from grpcio's source distribution on PyPI, which `scripts/setup.sh`
//! unpacks; `CERTLENS_OLDER_BORINGSSL` names another unpacked copy.

use std::path::{Path, PathBuf};

/// The prefix of every symbol of the older library (`src/older.rs` links these names).
const PREFIX: &str = "CERTLENS_BSSL42";
/// The grpcio release whose BoringSSL is built.
const GRPCIO: &str = "grpcio-1.85.1";

fn main() {
    println!("cargo:rerun-if-env-changed=CERTLENS_OLDER_BORINGSSL");
    let root = source_root();
    println!("cargo:rerun-if-changed={}", root.display());
    let boringssl = root.join("third_party/boringssl-with-bazel");
    let list = root.join("src/python/grpcio/grpc_core_dependencies.py");
    let text =
        std::fs::read_to_string(&list).unwrap_or_else(|e| panic!("read {}: {e}", list.display()));
    let sources = crypto_sources(&text);
    assert!(
        sources.len() > 200,
        "{}: expected grpcio's list of BoringSSL sources, found {} files",
        list.display(),
        sources.len()
    );

    let mut build = cc::Build::new();
    build
        .cpp(true)
        .std("c++17")
        .include(boringssl.join("include"))
        .define("OPENSSL_NO_ASM", None)
        .define("BORINGSSL_IMPLEMENTATION", None)
        .define("BORINGSSL_PREFIX", PREFIX)
        .flag_if_supported("-fno-exceptions")
        .flag_if_supported("-fno-rtti")
        .warnings(false)
        .opt_level(2);
    for source in &sources {
        build.file(boringssl.join(source));
    }
    build.compile("certlens_bssl42");
}

/// The unpacked grpcio source: `CERTLENS_OLDER_BORINGSSL`, else where `scripts/setup.sh`
/// puts it.
fn source_root() -> PathBuf {
    if let Some(path) = std::env::var_os("CERTLENS_OLDER_BORINGSSL") {
        return PathBuf::from(path);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache")))
        .expect("HOME or XDG_CACHE_HOME is set");
    let root = cache.join("certlens").join(GRPCIO);
    assert!(
        root.is_dir(),
        "the older BoringSSL's source is not at {}: run scripts/setup.sh (it unpacks {GRPCIO} from PyPI) or set CERTLENS_OLDER_BORINGSSL",
        root.display()
    );
    root
}

/// The `crypto/` C++ sources (and the generated error table) grpcio compiles, relative to
/// `third_party/boringssl-with-bazel`; libssl is not needed for `X509_verify_cert`.
fn crypto_sources(list: &str) -> Vec<String> {
    const FOLDER: &str = "third_party/boringssl-with-bazel/";
    list.lines()
        .filter_map(|line| {
            let quoted = line.trim().trim_end_matches(',');
            let path = quoted.strip_prefix('\'')?.strip_suffix('\'')?;
            path.strip_prefix(FOLDER).map(str::to_owned)
        })
        .filter(|path| {
            (path.starts_with("crypto/") || path.starts_with("gen/crypto/"))
                && (path.ends_with(".cc") || path.ends_with(".c"))
        })
        .collect()
}
