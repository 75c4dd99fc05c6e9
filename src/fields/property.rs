//! The 21 properties of `request.cf.tlsClientAuth` (docs/fields.md, "Properties"), in `cf.d.ts` order, with
//! their Rules-language field, Managed Transform header and the echo Worker's `X-CERT-*` name.

macro_rules! properties {
    ($( $variant:ident => $name:literal, $rules:literal, $managed:expr, $doc:literal; )*) => {
        /// One `request.cf.tlsClientAuth` property.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Property {
            $( #[doc = $doc] $variant, )*
        }

        impl Property {
            /// Every property, in `cf.d.ts` order.
            pub const ALL: &'static [Property] = &[$( Property::$variant, )*];

            /// Cloudflare's property name (`certSubjectDN`).
            pub fn name(self) -> &'static str {
                match self { $( Property::$variant => $name, )* }
            }

            /// The Rules-language field (`cf.tls_client_auth.cert_subject_dn`).
            pub fn rules_field(self) -> &'static str {
                match self { $( Property::$variant => concat!("cf.tls_client_auth.", $rules), )* }
            }

            /// The Managed Transform header (`cf-cert-subject-dn`), if the property has one.
            pub fn managed_header(self) -> Option<&'static str> {
                match self { $( Property::$variant => $managed, )* }
            }

            /// What the property means and how it is formatted, in a sentence.
            pub fn description(self) -> &'static str {
                match self { $( Property::$variant => $doc, )* }
            }

            /// Looks a property up by its Cloudflare name.
            pub fn from_name(name: &str) -> Option<Property> {
                Property::ALL.iter().copied().find(|p| p.name() == name)
            }
        }
    };
}

properties! {
    CertPresented => "certPresented", "cert_presented", Some("cf-cert-presented"),
        "\"1\" when the client presented a certificate (\"0\" in the placeholder object).";
    CertVerified => "certVerified", "cert_verified", Some("cf-cert-verified"),
        "The verification verdict against the hostname's CA: SUCCESS, FAILED:<reason> or NONE.";
    CertRevoked => "certRevoked", "cert_revoked", Some("cf-cert-revoked"),
        "\"1\" when the certificate is revoked (only for Cloudflare-managed CAs), else \"0\".";
    CertIssuerDN => "certIssuerDN", "cert_issuer_dn", Some("cf-cert-issuer-dn"),
        "Issuer DN in RFC 2253 form: RDNs reversed, comma-separated, special characters and non-ASCII bytes escaped.";
    CertSubjectDN => "certSubjectDN", "cert_subject_dn", Some("cf-cert-subject-dn"),
        "Subject DN in RFC 2253 form: RDNs reversed, comma-separated, special characters and non-ASCII bytes escaped.";
    CertIssuerDNRFC2253 => "certIssuerDNRFC2253", "cert_issuer_dn_rfc2253", Some("cf-cert-issuer-dn-rfc2253"),
        "Issuer DN in RFC 2253 form (the same bytes as certIssuerDN).";
    CertSubjectDNRFC2253 => "certSubjectDNRFC2253", "cert_subject_dn_rfc2253", Some("cf-cert-subject-dn-rfc2253"),
        "Subject DN in RFC 2253 form (the same bytes as certSubjectDN).";
    CertIssuerDNLegacy => "certIssuerDNLegacy", "cert_issuer_dn_legacy", Some("cf-cert-issuer-dn-legacy"),
        "Issuer DN in the legacy one-line form: /C=…/O=…/CN=…, certificate order, bytes outside ASCII as \\xHH.";
    CertSubjectDNLegacy => "certSubjectDNLegacy", "cert_subject_dn_legacy", Some("cf-cert-subject-dn-legacy"),
        "Subject DN in the legacy one-line form: /C=…/O=…/CN=…, certificate order, bytes outside ASCII as \\xHH.";
    CertSerial => "certSerial", "cert_serial", Some("cf-cert-serial"),
        "Serial number: uppercase hex, no separators, no leading 00 for high-bit serials.";
    CertIssuerSerial => "certIssuerSerial", "cert_issuer_serial", Some("cf-cert-issuer-serial"),
        "Serial number of the issuing CA certificate, formatted like certSerial.";
    CertSKI => "certSKI", "cert_ski", Some("cf-cert-ski"),
        "Subject Key Identifier extension: uppercase hex, no colons; empty when absent.";
    CertIssuerSKI => "certIssuerSKI", "cert_issuer_ski", Some("cf-cert-issuer-ski"),
        "Subject Key Identifier of the issuing CA certificate, formatted like certSKI.";
    CertFingerprintSHA1 => "certFingerprintSHA1", "cert_fingerprint_sha1", Some("cf-cert-fingerprint-sha1"),
        "SHA-1 of the certificate's DER: 40 lowercase hex digits.";
    CertFingerprintSHA256 => "certFingerprintSHA256", "cert_fingerprint_sha256", Some("cf-cert-fingerprint-sha256"),
        "SHA-256 of the certificate's DER: 64 lowercase hex digits.";
    CertNotBefore => "certNotBefore", "cert_not_before", Some("cf-cert-not-before"),
        "Start of validity: \"Mon DD HH:MM:SS YYYY GMT\", day padded with a space.";
    CertNotAfter => "certNotAfter", "cert_not_after", Some("cf-cert-not-after"),
        "End of validity: \"Mon DD HH:MM:SS YYYY GMT\", day padded with a space.";
    CertRFC9440 => "certRFC9440", "cert_rfc9440", None,
        "The leaf as an RFC 9440 byte sequence (:base64 DER:); empty over 10 KiB.";
    CertRFC9440TooLarge => "certRFC9440TooLarge", "cert_rfc9440_too_large", None,
        "true when the leaf exceeded the 10 KiB RFC 9440 limit (a real boolean).";
    CertChainRFC9440 => "certChainRFC9440", "cert_chain_rfc9440", None,
        "The intermediates the client sent, each as :base64 DER:, joined by \", \"; empty over 16 KiB.";
    CertChainRFC9440TooLarge => "certChainRFC9440TooLarge", "cert_chain_rfc9440_too_large", None,
        "true when the chain exceeded the 16 KiB RFC 9440 limit (a real boolean).";
}

/// The headers the echo Worker of Cloudflare's mTLS learning path builds (and
/// `assets/echo-worker.js`, corrected), in its order, with the property each carries. Cloudflare's
/// sample reads `certVerify` (a typo, always undefined); Certlens computes the header from
/// `certVerified` as the corrected Worker does.
pub const X_CERT_HEADERS: &[(&str, Property)] = &[
    ("X-CERT-ISSUER-DN", Property::CertIssuerDN),
    ("X-CERT-SUBJECT-DN", Property::CertSubjectDN),
    ("X-CERT-ISSUER-DN-L", Property::CertIssuerDNLegacy),
    ("X-CERT-SUBJECT-DN-L", Property::CertSubjectDNLegacy),
    ("X-CERT-SERIAL", Property::CertSerial),
    ("X-CERT-FINGER", Property::CertFingerprintSHA1),
    ("X-CERT-VERIFY", Property::CertVerified),
    ("X-CERT-NOTBE", Property::CertNotBefore),
    ("X-CERT-NOTAF", Property::CertNotAfter),
];
