//! Builds certificates from raw parts — any Name, serial or time encoding — signed with real
//! P-256 keys, so the oracle can be fed what no certificate tool would produce.

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair as _};
use certlens::der::{encode, oid_from_str, tag};

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

    fn sign(&self, data: &[u8]) -> Vec<u8> {
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
    let mut tbs = Vec::new();
    if spec.extensions.is_some() {
        tbs.extend(encode(0xA0, &encode(tag::INTEGER, &[2])));
    }
    tbs.extend(encode(tag::INTEGER, &spec.serial));
    tbs.extend(&sig_alg);
    tbs.extend(&spec.issuer);
    tbs.extend(encode(
        tag::SEQUENCE,
        &[spec.not_before.clone(), spec.not_after.clone()].concat(),
    ));
    tbs.extend(&spec.subject);
    tbs.extend(subject_key.spki());
    if let Some(extensions) = &spec.extensions {
        tbs.extend(encode(0xA3, &encode(tag::SEQUENCE, &extensions.concat())));
    }
    let tbs = encode(tag::SEQUENCE, &tbs);
    let signature = issuer_key.sign(&tbs);
    let bits = encode(tag::BIT_STRING, &[&[0u8][..], &signature].concat());
    encode(tag::SEQUENCE, &[tbs, sig_alg, bits].concat())
}

pub fn cert_pem(der: &[u8]) -> String {
    pem::encode(&pem::Pem::new("CERTIFICATE", der.to_vec()))
}
