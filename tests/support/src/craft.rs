//! Builds certificates from raw parts — any Name, serial or time encoding — signed with real
//! P-256 keys, so the oracle can be fed what no certificate tool would produce.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair as _};
use certlens::certificate::der::{encode, oid_from_str, tag};

/// A P-256 key pair.
pub struct Key {
    pub pkcs8: Vec<u8>,
    pair: EcdsaKeyPair,
}

impl Key {
    pub fn generate() -> Self {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng)
            .unwrap()
            .as_ref()
            .to_vec();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &pkcs8).unwrap();
        Self { pkcs8, pair }
    }

    pub fn spki(&self) -> Vec<u8> {
        let alg = encode(
            tag::SEQUENCE,
            &[oid("1.2.840.10045.2.1"), oid("1.2.840.10045.3.1.7")].concat(),
        );
        let bits = encode(
            tag::BIT_STRING,
            &[&[0u8][..], self.pair.public_key().as_ref()].concat(),
        );
        encode(tag::SEQUENCE, &[alg, bits].concat())
    }

    pub fn pem(&self) -> String {
        pem::encode(&pem::Pem::new("PRIVATE KEY", self.pkcs8.clone()))
    }

    pub fn sign(&self, data: &[u8]) -> Vec<u8> {
        self.pair
            .sign(&SystemRandom::new(), data)
            .unwrap()
            .as_ref()
            .to_vec()
    }
}

pub fn oid(dotted: &str) -> Vec<u8> {
    encode(tag::OID, &oid_from_str(dotted).unwrap())
}

/// A Name with one single-valued RDN per `(oid, tag, value)`.
pub fn name(attributes: &[(&str, u8, &[u8])]) -> Vec<u8> {
    let rdns: Vec<u8> = attributes
        .iter()
        .flat_map(|(o, t, v)| {
            encode(
                tag::SET,
                &encode(tag::SEQUENCE, &[oid(o), encode(*t, v)].concat()),
            )
        })
        .collect();
    encode(tag::SEQUENCE, &rdns)
}

pub fn utc(text: &str) -> Vec<u8> {
    encode(tag::UTC_TIME, text.as_bytes())
}

pub fn generalized(text: &str) -> Vec<u8> {
    encode(tag::GENERALIZED_TIME, text.as_bytes())
}

/// Everything that goes into a certificate.
pub struct Spec {
    pub subject: Vec<u8>,
    pub issuer: Vec<u8>,
    /// serialNumber INTEGER content octets.
    pub serial: Vec<u8>,
    pub not_before: Vec<u8>,
    pub not_after: Vec<u8>,
    /// Complete Extension SEQUENCEs; `None` makes an X.509 v1 certificate.
    pub extensions: Option<Vec<Vec<u8>>>,
}

impl Default for Spec {
    fn default() -> Self {
        let plain = name(&[("2.5.4.3", 0x0C, b"crafted")]);
        Self {
            subject: plain.clone(),
            issuer: plain,
            serial: vec![0x01, 0x02, 0x03],
            not_before: utc("240102030405Z"),
            not_after: generalized("20500101000000Z"),
            extensions: Some(vec![client_auth_eku()]),
        }
    }
}

pub fn client_auth_eku() -> Vec<u8> {
    let value = encode(tag::SEQUENCE, &oid("1.3.6.1.5.5.7.3.2"));
    encode(
        tag::SEQUENCE,
        &[oid("2.5.29.37"), encode(tag::OCTET_STRING, &value)].concat(),
    )
}

pub fn subject_key_id(id: &[u8]) -> Vec<u8> {
    encode(
        tag::SEQUENCE,
        &[
            oid("2.5.29.14"),
            encode(tag::OCTET_STRING, &encode(tag::OCTET_STRING, id)),
        ]
        .concat(),
    )
}

/// Signs `spec` for `subject_key` with `issuer_key` (ecdsa-with-SHA256); returns the DER.
pub fn build(spec: &Spec, subject_key: &Key, issuer_key: &Key) -> Vec<u8> {
    let sig_alg = encode(tag::SEQUENCE, &oid("1.2.840.10045.4.3.2"));
    build_with(spec, &subject_key.spki(), &sig_alg, |tbs| {
        issuer_key.sign(tbs)
    })
}

/// Assembles the certificate around `spki`, signing the tbsCertificate with `sign`.
pub fn build_with(
    spec: &Spec,
    spki: &[u8],
    sig_alg: &[u8],
    sign: impl FnOnce(&[u8]) -> Vec<u8>,
) -> Vec<u8> {
    let mut tbs = Vec::new();
    if spec.extensions.is_some() {
        tbs.extend(encode(0xA0, &encode(tag::INTEGER, &[2])));
    }
    tbs.extend(encode(tag::INTEGER, &spec.serial));
    tbs.extend(sig_alg);
    tbs.extend(&spec.issuer);
    tbs.extend(encode(
        tag::SEQUENCE,
        &[spec.not_before.clone(), spec.not_after.clone()].concat(),
    ));
    tbs.extend(&spec.subject);
    tbs.extend(spki);
    if let Some(extensions) = &spec.extensions {
        tbs.extend(encode(0xA3, &encode(tag::SEQUENCE, &extensions.concat())));
    }
    let tbs = encode(tag::SEQUENCE, &tbs);
    let signature = sign(&tbs);
    let bits = encode(tag::BIT_STRING, &[&[0u8][..], &signature].concat());
    encode(tag::SEQUENCE, &[tbs, sig_alg.to_vec(), bits].concat())
}

/// A key made by the openssl CLI, which also signs with it (any digest, RSA or EC).
pub struct OpensslKey {
    pub path: std::path::PathBuf,
    pub spki: Vec<u8>,
    pub rsa: bool,
}

impl OpensslKey {
    /// `kind`: `rsa:2048`, `rsa:1024`, `ec` (P-256), `ec-explicit` (P-256 with its curve
    /// spelled out as explicit parameters), `ec-p192` (P-192) or `dsa:2048`.
    pub fn generate(dir: &std::path::Path, name: &str, kind: &str) -> Self {
        let path = dir.join(format!("{name}.key"));
        let key = path.to_str().unwrap();
        let rsa = kind.starts_with("rsa:");
        if rsa {
            let bits = format!("rsa_keygen_bits:{}", &kind[4..]);
            crate::openssl(
                dir,
                &[
                    "genpkey",
                    "-algorithm",
                    "RSA",
                    "-pkeyopt",
                    &bits,
                    "-out",
                    key,
                ],
            );
        } else if let Some(bits) = kind.strip_prefix("dsa:") {
            let params = dir.join(format!("{name}.params"));
            let params = params.to_str().unwrap();
            let bits = format!("dsa_paramgen_bits:{bits}");
            crate::openssl(
                dir,
                &[
                    "genpkey",
                    "-genparam",
                    "-algorithm",
                    "DSA",
                    "-pkeyopt",
                    &bits,
                    "-out",
                    params,
                ],
            );
            crate::openssl(dir, &["genpkey", "-paramfile", params, "-out", key]);
        } else {
            let mut args = vec![
                "genpkey",
                "-algorithm",
                "EC",
                "-pkeyopt",
                if kind == "ec-p192" {
                    "ec_paramgen_curve:P-192"
                } else {
                    "ec_paramgen_curve:P-256"
                },
                "-out",
                key,
            ];
            if kind == "ec-explicit" {
                args.extend(["-pkeyopt", "ec_param_enc:explicit"]);
            }
            crate::openssl(dir, &args);
        }
        let spki_path = dir.join(format!("{name}.spki"));
        crate::openssl(
            dir,
            &[
                "pkey",
                "-in",
                key,
                "-pubout",
                "-outform",
                "DER",
                "-out",
                spki_path.to_str().unwrap(),
            ],
        );
        Self {
            spki: std::fs::read(spki_path).unwrap(),
            path,
            rsa,
        }
    }

    /// An existing key file (e.g. the test PKI's `int.key`); `rsa` says which kind it is.
    pub fn open(path: std::path::PathBuf, rsa: bool) -> Self {
        let dir = path.parent().unwrap().to_owned();
        let spki_path = path.with_extension("spki");
        crate::openssl(
            &dir,
            &[
                "pkey",
                "-in",
                path.to_str().unwrap(),
                "-pubout",
                "-outform",
                "DER",
                "-out",
                spki_path.to_str().unwrap(),
            ],
        );
        Self {
            spki: std::fs::read(spki_path).unwrap(),
            path,
            rsa,
        }
    }

    /// Signs `spec` for `subject` with this key and `digest` (`sha256` or `sha1`).
    pub fn issue(&self, spec: &Spec, subject_spki: &[u8], digest: &str) -> Vec<u8> {
        let dsa = self
            .spki
            .windows(7)
            .any(|w| w == [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x38]);
        let sig_alg = match (self.rsa, digest) {
            (false, _) if dsa => encode(tag::SEQUENCE, &oid("2.16.840.1.101.3.4.3.2")),
            (true, "sha1") => encode(
                tag::SEQUENCE,
                &[oid("1.2.840.113549.1.1.5"), vec![0x05, 0x00]].concat(),
            ),
            (true, _) => encode(
                tag::SEQUENCE,
                &[oid("1.2.840.113549.1.1.11"), vec![0x05, 0x00]].concat(),
            ),
            (false, "sha1") => encode(tag::SEQUENCE, &oid("1.2.840.10045.4.1")),
            (false, _) => encode(tag::SEQUENCE, &oid("1.2.840.10045.4.3.2")),
        };
        let dir = self.path.parent().unwrap();
        build_with(spec, subject_spki, &sig_alg, |tbs| {
            let input = dir.join("tbs.der");
            let output = dir.join("tbs.sig");
            std::fs::write(&input, tbs).unwrap();
            crate::openssl(
                dir,
                &[
                    "dgst",
                    &format!("-{digest}"),
                    "-sign",
                    self.path.to_str().unwrap(),
                    "-out",
                    output.to_str().unwrap(),
                    input.to_str().unwrap(),
                ],
            );
            std::fs::read(output).unwrap()
        })
    }
}

/// An extension SEQUENCE.
pub fn extension(dotted: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    let flag = if critical {
        encode(tag::BOOLEAN, &[0xFF])
    } else {
        Vec::new()
    };
    encode(
        tag::SEQUENCE,
        &[oid(dotted), flag, encode(tag::OCTET_STRING, value)].concat(),
    )
}

pub fn basic_constraints(ca: bool, path_len: Option<u8>) -> Vec<u8> {
    let mut value = Vec::new();
    if ca {
        value.extend(encode(tag::BOOLEAN, &[0xFF]));
    }
    if let Some(n) = path_len {
        value.extend(encode(tag::INTEGER, &[n]));
    }
    extension("2.5.29.19", true, &encode(tag::SEQUENCE, &value))
}

/// keyUsage with the first octet of bits (0x80 digitalSignature, 0x20 keyEncipherment,
/// 0x08 keyAgreement, 0x04 keyCertSign, 0x02 cRLSign).
pub fn key_usage(bits: u8) -> Vec<u8> {
    let unused = if bits == 0 {
        0
    } else {
        bits.trailing_zeros() as u8
    };
    extension("2.5.29.15", true, &encode(tag::BIT_STRING, &[unused, bits]))
}

pub fn extended_key_usage(purposes: &[&str]) -> Vec<u8> {
    let list: Vec<u8> = purposes.iter().flat_map(|p| oid(p)).collect();
    extension("2.5.29.37", false, &encode(tag::SEQUENCE, &list))
}

pub fn authority_key_id(id: &[u8]) -> Vec<u8> {
    extension(
        "2.5.29.35",
        false,
        &encode(tag::SEQUENCE, &encode(0x80, id)),
    )
}

pub fn cert_pem(der: &[u8]) -> String {
    pem::encode(&pem::Pem::new("CERTIFICATE", der.to_vec()))
}
