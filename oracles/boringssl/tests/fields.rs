//! The field oracle: every crafted certificate the nginx oracle presents (names with every
//! escape, string type and script; serials of every shape; times of every form; a v1
//! certificate; an SKI) is given to BoringSSL, whose printers must produce exactly what
//! Certlens's `cloudflare` profile shows. Where BoringSSL refuses a certificate or a value,
//! Certlens must say the edge would refuse it.

use certlens_test_support as support;

use base64::Engine as _;
use certlens::certificate::Certificate;
use certlens::fields::{Context, EdgeView, Profile, Property};
use certlens_oracle_boringssl::X509;
use support::{cases, craft};

#[test]
fn cloudflare_profile_equals_boringssl_byte_for_byte() {
    let key = craft::Key::generate();
    let mut differences = Vec::new();
    let mut agreed = 0;
    let mut refused = Vec::new();
    let all = cases::cases();
    for case in &all {
        let der = craft::build(&case.spec, &key, &key);
        let ours = Certificate::from_der(&der).expect("Certlens reads every crafted case");
        let view = EdgeView::compute(&ours, &Context::default(), Profile::Cloudflare);
        let warned = view.warnings.iter().any(|w| w.contains("refuse"));
        let Some(theirs) = X509::from_der(&der) else {
            refused.push(case.id.clone());
            if !warned {
                differences.push(format!(
                    "{}: BoringSSL refuses the certificate, Certlens gave no warning ({:?})",
                    case.id, view.warnings
                ));
            }
            continue;
        };
        let text = |property| view.get(property).as_header_value();
        let rfc9440 = format!(
            ":{}:",
            base64::engine::general_purpose::STANDARD.encode(&der)
        );
        let pairs = [
            (
                "certSubjectDN",
                text(Property::CertSubjectDN),
                theirs.subject_rfc2253(),
            ),
            (
                "certIssuerDN",
                text(Property::CertIssuerDN),
                theirs.issuer_rfc2253(),
            ),
            (
                "certSubjectDNRFC2253",
                text(Property::CertSubjectDNRFC2253),
                theirs.subject_rfc2253(),
            ),
            (
                "certSubjectDNLegacy",
                text(Property::CertSubjectDNLegacy),
                theirs.subject_oneline(),
            ),
            (
                "certIssuerDNLegacy",
                text(Property::CertIssuerDNLegacy),
                theirs.issuer_oneline(),
            ),
            ("certSerial", text(Property::CertSerial), theirs.serial()),
            (
                "certNotBefore",
                text(Property::CertNotBefore),
                theirs.not_before(),
            ),
            (
                "certNotAfter",
                text(Property::CertNotAfter),
                theirs.not_after(),
            ),
            (
                "certFingerprintSHA1",
                text(Property::CertFingerprintSHA1),
                Some(theirs.fingerprint(false)),
            ),
            (
                "certFingerprintSHA256",
                text(Property::CertFingerprintSHA256),
                Some(theirs.fingerprint(true)),
            ),
            (
                "certSKI",
                text(Property::CertSKI),
                Some(theirs.subject_key_id()),
            ),
            ("certRFC9440", text(Property::CertRFC9440), Some(rfc9440)),
        ];
        for (field, ours, theirs) in pairs {
            match theirs {
                Some(theirs) if ours.as_deref() == Some(theirs.as_str()) => agreed += 1,
                // BoringSSL cannot print the value: the edge refuses it, and Certlens said so.
                None if warned => agreed += 1,
                theirs => differences.push(format!(
                    "{} {field}: BoringSSL {theirs:?}, Certlens {ours:?}",
                    case.id
                )),
            }
        }
    }
    eprintln!(
        "BoringSSL field oracle: {} cases, {} refused by BoringSSL ({refused:?}), {agreed} values agreed byte for byte, {} differences",
        all.len(),
        refused.len(),
        differences.len()
    );
    assert!(differences.is_empty(), "{}", differences.join("\n"));
    assert!(all.len() >= 70, "the whole crafted set: {}", all.len());
}
