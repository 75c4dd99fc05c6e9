//! Figures for the foundation: opening a p12 and computing its fields (library and whole
//! process, side by side with `openssl pkcs12 -info -nokeys`), and every certificate of a
//! ~2,000-certificate PEM bundle (side by side with `openssl crl2pkcs7 | openssl pkcs7
//! -print_certs`). Run with `cargo bench --bench fields`; it prints its figures.

use std::path::Path;

use std::time::{Duration, Instant};

use certlens::fields::{Context, EdgeView, Profile};

use certlens::identity::{Password, load_bytes};
// The tests' helpers: the openssl CLI and a root → intermediate → leaf PKI.
use certlens_test_support as common;
use common::Pki;

const BUNDLE_SIZE: usize = 2_000;

fn main() {
    let pki = Pki::new();
    let d = pki.path();
    pki.export_p12("default.p12", &[], "bench");
    pki.export_p12("legacy.p12", &["-legacy"], "bench");
    make_bundle(d);
    let password = Password::new("bench");

    println!(
        "certlens benchmarks (release build, {} CPUs)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    println!();
    println!("library, in process:");
    for file in ["default.p12", "legacy.p12"] {
        let bytes = std::fs::read(d.join(file)).unwrap();
        let per_op = time_per_op(200, || {
            let loaded = load_bytes(&bytes, Some(&password)).unwrap();
            let identity = loaded.identity().unwrap();
            let context = Context {
                chain: &identity.chain,
                issuer: identity.find_issuer(&[]),
                ..Context::default()
            };
            std::hint::black_box(EdgeView::compute(
                &identity.leaf,
                &context,
                Profile::Cloudflare,
            ));
        });
        println!("  open {file:<12} + all fields: {:>8.3} ms", ms(per_op));
    }
    let bundle = std::fs::read(d.join("bundle.pem")).unwrap();
    let per_bundle = time_per_op(10, || {
        let loaded = load_bytes(&bundle, None).unwrap();
        for cert in &loaded.certificates {
            std::hint::black_box(EdgeView::compute(
                cert,
                &Context::default(),
                Profile::Cloudflare,
            ));
        }
    });
    println!(
        "  bundle of {BUNDLE_SIZE} certificates, parse + all fields: {:>8.3} ms ({:.0} certificates/s)",
        ms(per_bundle),
        BUNDLE_SIZE as f64 / per_bundle.as_secs_f64()
    );

    println!();
    println!("whole process, median of 20 runs (output to /dev/null):");
    let certlens = env!("CARGO_BIN_EXE_certlens");
    std::fs::write(d.join("pw"), "bench\n").unwrap();
    for file in ["default.p12", "legacy.p12"] {
        let ours = common::median_run(d, certlens, &["fields", file, "--password-file", "pw"]);
        // OpenSSL 3 needs -legacy to read RC2-40; Certlens reads both forms without a flag.
        let mut args = vec![
            "pkcs12",
            "-info",
            "-nokeys",
            "-in",
            file,
            "-passin",
            "pass:bench",
        ];
        if file == "legacy.p12" {
            args.push("-legacy");
        }
        let theirs = common::median_run(d, "openssl", &args);
        println!(
            "  {file:<12} certlens fields {:>7.2} ms | openssl pkcs12 -info -nokeys {:>7.2} ms | ratio {:.2}",
            ms(ours),
            ms(theirs),
            ours.as_secs_f64() / theirs.as_secs_f64()
        );
    }
    let ours = common::median_run(d, certlens, &["fields", "bundle.pem", "--all"]);
    let theirs = common::median_run(
        d,
        "sh",
        &[
            "-c",
            "openssl crl2pkcs7 -nocrl -certfile bundle.pem | openssl pkcs7 -print_certs",
        ],
    );
    println!(
        "  bundle --all  certlens {:>7.2} ms ({:.0} certificates/s) | openssl crl2pkcs7|pkcs7 -print_certs {:>7.2} ms | certlens {:.1}x faster",
        ms(ours),
        BUNDLE_SIZE as f64 / ours.as_secs_f64(),
        ms(theirs),
        theirs.as_secs_f64() / ours.as_secs_f64()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn time_per_op(iterations: u32, mut f: impl FnMut()) -> Duration {
    f(); // warm up
    let start = Instant::now();
    for _ in 0..iterations {
        f();
    }
    start.elapsed() / iterations
}

fn make_bundle(d: &Path) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Bundle CA");
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let leaf_key = rcgen::KeyPair::generate().unwrap();
    let mut pem = String::new();
    for i in 0..BUNDLE_SIZE {
        let mut params =
            rcgen::CertificateParams::new(vec![format!("device-{i}.example")]).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CountryName, "DE");
        params
            .distinguished_name
            .push(rcgen::DnType::OrganizationName, "Müller & Söhne, GmbH");
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, format!("device {i}"));
        params.serial_number = Some(rcgen::SerialNumber::from((i as u64 + 1) << 40));
        pem.push_str(&params.signed_by(&leaf_key, &issuer).unwrap().pem());
    }
    std::fs::write(d.join("bundle.pem"), pem).unwrap();
}
