//! Every formatter (names, serial, times, fingerprints, SKI, RFC 9440, nginx's variables) on
//! whatever x509-parser accepts as a certificate, and on whatever it does not.
#![no_main]

mod common;

use certlens::certificate::Certificate;
use certlens::certificate::Instant;
use certlens::fields::profiles::{certificates_in, elements, percent_decode};
use certlens::notation::{TlsLibrary, format_name, format_serial, format_time};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::init();
    // The formatters on raw bytes: a Name, a serial's content, a Time.
    for rules in [TlsLibrary::BoringSsl, TlsLibrary::OpenSsl] {
        let _ = format_name(data, rules);
        let _ = format_time(data, rules);
    }
    let _ = format_serial(data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Instant::parse(text);
        let _ = Instant::from_printed(text);
        // What the live test reads out of an edge's echo.
        let _ = certificates_in(text);
        let _ = elements(text);
        let _ = percent_decode(text, true);
    }
    // Whole certificates that x509-parser accepts must also be read by Certlens's own reader.
    let parsed = x509_parser::parse_x509_certificate(data).is_ok();
    match Certificate::from_der(data) {
        Ok(cert) => {
            common::use_every_field(&cert, std::slice::from_ref(&cert));
        }
        // Certlens's reader is stricter in places (it wants the whole input to be one
        // certificate); what matters is that it answers, so only the fact is kept.
        Err(_) => {
            let _ = parsed;
        }
    }
});
