//! The chains every verdict oracle is asked about: missing and trusted intermediates, partial
//! chains, trusted leaves, self-signed leaves, validity boundaries, purposes, every CA shape
//! sent and trusted, path lengths, a forged signature, folded names, every depth, and name
//! constraints of every type.

use crate::craft::{
    self, Key, OpensslKey, Spec, basic_constraints, extended_key_usage, key_usage, name, utc,
};
use certlens::certificate::der::{encode, tag};

const CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";
const SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
/// keyCertSign | cRLSign.
const CERT_SIGN: u8 = 0x06;
/// 2030-01-01T00:00:00Z, inside every default validity.
const NOW: i64 = 1_893_456_000;

/// One certificate of a test PKI: its DER, its key and its subject.
struct Entity {
    der: Vec<u8>,
    key: Key,
    subject: Vec<u8>,
}

/// What goes into one certificate beyond its subject and issuer.
struct Shape {
    extensions: Option<Vec<Vec<u8>>>,
    not_before: Vec<u8>,
    not_after: Vec<u8>,
}

impl Shape {
    fn ca() -> Self {
        Self::with(vec![basic_constraints(true, None), key_usage(CERT_SIGN)])
    }

    fn leaf() -> Self {
        Self::with(vec![
            basic_constraints(false, None),
            key_usage(0x80),
            extended_key_usage(&[CLIENT_AUTH]),
        ])
    }

    fn with(extensions: Vec<Vec<u8>>) -> Self {
        Self {
            extensions: Some(extensions),
            not_before: utc("200101000000Z"),
            not_after: craft::generalized("20400101000000Z"),
        }
    }
}

fn cn(text: &str) -> Vec<u8> {
    name(&[("2.5.4.3", 0x0C, text.as_bytes())])
}

/// Issues `subject` with `shape`, signed by `issuer` (self-signed when `None`).
fn issue(subject: Vec<u8>, shape: Shape, issuer: Option<&Entity>) -> Entity {
    let key = Key::generate();
    let spec = Spec {
        subject: subject.clone(),
        issuer: issuer.map_or(subject.clone(), |i| i.subject.clone()),
        serial: vec![0x10, subject.len() as u8],
        not_before: shape.not_before,
        not_after: shape.not_after,
        extensions: shape.extensions,
    };
    let der = craft::build(&spec, &key, issuer.map_or(&key, |i| &i.key));
    Entity { der, key, subject }
}

/// One verification to put to both.
pub struct Case {
    pub label: String,
    pub leaf: Vec<u8>,
    pub chain: Vec<Vec<u8>>,
    pub trusted: Vec<Vec<u8>>,
    pub at: i64,
    pub depth: i32,
    pub partial_chain: bool,
    /// Revocation lists (DER), as nginx's `ssl_crl` gives them.
    pub crls: Vec<Vec<u8>>,
}

impl Case {
    fn new(label: &str, leaf: &Entity, chain: &[&Entity], trusted: &[&Entity]) -> Self {
        Self {
            label: label.to_owned(),
            leaf: leaf.der.clone(),
            chain: chain.iter().map(|e| e.der.clone()).collect(),
            trusted: trusted.iter().map(|e| e.der.clone()).collect(),
            at: NOW,
            depth: 3,
            partial_chain: false,
            crls: Vec::new(),
        }
    }

    fn crls(mut self, crls: Vec<Vec<u8>>) -> Self {
        self.crls = crls;
        self
    }

    fn at(mut self, at: i64) -> Self {
        self.at = at;
        self
    }

    fn depth(mut self, depth: i32) -> Self {
        self.depth = depth;
        self
    }

    fn partial(mut self) -> Self {
        self.partial_chain = true;
        self
    }
}

/// Certificates the libraries cannot fully decode: a duplicated extension, a subjectAltName
/// that is not GeneralNames, a basicConstraints that is not a SEQUENCE, an issuer key that is
/// not a point on its curve.
fn undecodable_cases(root: &Entity) -> Vec<Case> {
    let mut cases = Vec::new();
    let san_garbage = craft::extension("2.5.29.17", false, &[0x04, 0x02, 0xFF, 0xFF]);
    let bc_garbage = craft::extension("2.5.29.19", true, &[0x02, 0x01, 0x01]);
    let duplicated = vec![
        basic_constraints(true, None),
        key_usage(CERT_SIGN),
        basic_constraints(true, None),
    ];
    let ca_with = |extension: Vec<u8>| {
        vec![
            basic_constraints(true, None),
            key_usage(CERT_SIGN),
            extension,
        ]
    };
    // Inner structures that do not decode: permitted subtrees holding a NULL; a subtree whose
    // base is an INTEGER; an authorityKeyIdentifier holding a NULL; CRL distribution points
    // that are INTEGERs.
    let nc_null = craft::extension("2.5.29.30", true, &[0x30, 0x04, 0xA0, 0x02, 0x05, 0x00]);
    let nc_bad_base = craft::extension(
        "2.5.29.30",
        true,
        &[0x30, 0x08, 0xA0, 0x06, 0x30, 0x04, 0x02, 0x02, 0x01, 0x01],
    );
    let aki_null = craft::extension("2.5.29.35", false, &[0x30, 0x02, 0x05, 0x00]);
    let crldp_integers = craft::extension("2.5.29.31", false, &[0x30, 0x03, 0x02, 0x01, 0x01]);
    for (label, extensions) in [
        (
            "malformed nameConstraints (a NULL subtree)",
            ca_with(nc_null),
        ),
        (
            "malformed nameConstraints (an INTEGER base)",
            ca_with(nc_bad_base),
        ),
        ("malformed authorityKeyIdentifier", ca_with(aki_null)),
        ("malformed CRL distribution points", ca_with(crldp_integers)),
        ("duplicated basicConstraints", duplicated),
        (
            "malformed subjectAltName",
            vec![
                basic_constraints(true, None),
                key_usage(CERT_SIGN),
                san_garbage.clone(),
            ],
        ),
        (
            "basicConstraints not a SEQUENCE",
            vec![bc_garbage, key_usage(CERT_SIGN)],
        ),
    ] {
        let odd = issue(
            cn(&format!("CA with {label}")),
            Shape::with(extensions),
            Some(root),
        );
        let leaf = issue(
            cn(&format!("under CA with {label}")),
            Shape::leaf(),
            Some(&odd),
        );
        cases.push(Case::new(
            &format!("undecodable: intermediate with {label}, sent"),
            &leaf,
            &[&odd],
            &[root],
        ));
        cases.push(Case::new(
            &format!("undecodable: intermediate with {label}, trusted"),
            &leaf,
            &[],
            &[&odd, root],
        ));
    }
    let mut leaf_extensions = Shape::leaf().extensions.unwrap_or_default();
    leaf_extensions.push(san_garbage);
    let odd_leaf = issue(
        cn("leaf with malformed subjectAltName"),
        Shape::with(leaf_extensions),
        Some(root),
    );
    cases.push(Case::new(
        "undecodable: leaf with malformed subjectAltName",
        &odd_leaf,
        &[],
        &[root],
    ));
    // An issuer whose key is not a point on P-256.
    let off_curve = {
        let key = Key::generate();
        let mut spki = key.spki();
        if let Some(last) = spki.last_mut() {
            *last ^= 0x01;
        }
        let name = cn("Off-curve CA");
        let spec = Spec {
            subject: name.clone(),
            issuer: root.subject.clone(),
            serial: vec![0x51],
            not_before: utc("200101000000Z"),
            not_after: craft::generalized("20400101000000Z"),
            extensions: Shape::ca().extensions,
        };
        let sig_alg = encode(tag::SEQUENCE, &craft::oid("1.2.840.10045.4.3.2"));
        let der = craft::build_with(&spec, &spki, &sig_alg, |tbs| root.key.sign(tbs));
        Entity {
            der,
            key,
            subject: name,
        }
    };
    let leaf = issue(cn("under off-curve CA"), Shape::leaf(), Some(&off_curve));
    cases.push(Case::new(
        "undecodable: issuer key off its curve, sent",
        &leaf,
        &[&off_curve],
        &[root],
    ));
    cases.push(Case::new(
        "undecodable: issuer key off its curve, trusted",
        &leaf,
        &[],
        &[&off_curve, root],
    ));
    cases
}

/// Keys the libraries judge differently, on the leaf, a sent intermediate and a trusted root:
/// RSA-1024 and P-192 (below OpenSSL's security level 2), a P-256 key with explicit curve
/// parameters, DSA-2048, and an intermediate signed with SHA-1.
fn key_cases() -> Vec<Case> {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let spec = |subject: Vec<u8>, issuer: &[u8], extensions: Vec<Vec<u8>>| Spec {
        subject,
        issuer: issuer.to_vec(),
        serial: vec![0x42],
        not_before: utc("200101000000Z"),
        not_after: craft::generalized("20400101000000Z"),
        extensions: Some(extensions),
    };
    let ca_extensions = || vec![basic_constraints(true, None), key_usage(CERT_SIGN)];
    let leaf_extensions = || Shape::leaf().extensions.unwrap_or_default();
    let root_key = OpensslKey::generate(d, "root", "ec");
    let root_name = cn("Key Root");
    let root = root_key.issue(
        &spec(root_name.clone(), &root_name, ca_extensions()),
        &root_key.spki,
        "sha256",
    );
    let mut cases = Vec::new();
    let mut push = |label: &str, leaf: Vec<u8>, chain: Vec<Vec<u8>>, trusted: Vec<Vec<u8>>| {
        cases.push(Case {
            label: format!("keys: {label}"),
            leaf,
            chain,
            trusted,
            at: NOW,
            depth: 3,
            partial_chain: false,
            crls: Vec::new(),
        });
    };
    for kind in ["rsa:1024", "ec-p192", "ec-explicit", "dsa:2048"] {
        let label = kind.replace(':', "-");
        let key = OpensslKey::generate(d, &label, kind);
        // As the leaf.
        let leaf = root_key.issue(
            &spec(cn(&format!("{label} leaf")), &root_name, leaf_extensions()),
            &key.spki,
            "sha256",
        );
        push(&format!("{kind} leaf"), leaf, vec![], vec![root.clone()]);
        // As a sent intermediate.
        let int_name = cn(&format!("{label} intermediate"));
        let int = root_key.issue(
            &spec(int_name.clone(), &root_name, ca_extensions()),
            &key.spki,
            "sha256",
        );
        let leaf_key = Key::generate();
        let under = key.issue(
            &spec(cn(&format!("under {label}")), &int_name, leaf_extensions()),
            &leaf_key.spki(),
            "sha256",
        );
        push(
            &format!("{kind} intermediate, sent"),
            under.clone(),
            vec![int.clone()],
            vec![root.clone()],
        );
        // The same with the last byte of its signature changed.
        let mut tampered = under.clone();
        if let Some(last) = tampered.last_mut() {
            *last ^= 0x01;
        }
        push(
            &format!("{kind} intermediate, tampered signature"),
            tampered,
            vec![int.clone()],
            vec![root.clone()],
        );
        push(
            &format!("{kind} intermediate, trusted"),
            under,
            vec![],
            vec![int, root.clone()],
        );
        // As the trusted root.
        let own_root_name = cn(&format!("{label} root"));
        let own_root = key.issue(
            &spec(own_root_name.clone(), &own_root_name, ca_extensions()),
            &key.spki,
            "sha256",
        );
        let under = key.issue(
            &spec(
                cn(&format!("under {label} root")),
                &own_root_name,
                leaf_extensions(),
            ),
            &leaf_key.spki(),
            "sha256",
        );
        push(
            &format!("{kind} root, trusted"),
            under,
            vec![],
            vec![own_root],
        );
    }
    // An intermediate signed with SHA-1.
    let int_key = Key::generate();
    let int_name = cn("SHA-1 intermediate");
    let int = root_key.issue(
        &spec(int_name.clone(), &root_name, ca_extensions()),
        &int_key.spki(),
        "sha1",
    );
    let leaf = craft::build(
        &spec(cn("under SHA-1"), &int_name, leaf_extensions()),
        &Key::generate(),
        &int_key,
    );
    push(
        "intermediate signed with SHA-1, sent",
        leaf,
        vec![int],
        vec![root.clone()],
    );
    cases
}

/// What goes into one revocation list.
struct CrlSpec<'a> {
    /// Revoked serials, each with an optional reason code.
    revoked: Vec<(Vec<u8>, Option<u8>)>,
    this_update: Vec<u8>,
    next_update: Option<Vec<u8>>,
    /// An unknown critical extension on the list.
    critical_unknown: bool,
    /// More crlExtensions (issuingDistributionPoint, deltaCRLIndicator).
    extensions: Vec<Vec<u8>>,
    /// Signed by this key instead of the issuer's.
    forged_by: Option<&'a Key>,
}

impl Default for CrlSpec<'_> {
    fn default() -> Self {
        Self {
            revoked: Vec::new(),
            this_update: utc("250101000000Z"),
            next_update: Some(craft::generalized("20400101000000Z")),
            critical_unknown: false,
            extensions: Vec::new(),
            forged_by: None,
        }
    }
}

fn serial_of(entity: &Entity) -> Vec<u8> {
    certlens::certificate::Certificate::from_der(&entity.der)
        .unwrap()
        .serial_content()
        .to_vec()
}

/// A CRL issued by `issuer` (ecdsa-with-SHA256).
fn crl(issuer: &Entity, spec: CrlSpec<'_>) -> Vec<u8> {
    let sig_alg = encode(tag::SEQUENCE, &craft::oid("1.2.840.10045.4.3.2"));
    let entries: Vec<u8> = spec
        .revoked
        .iter()
        .flat_map(|(serial, reason)| {
            let mut entry = vec![encode(tag::INTEGER, serial), utc("250101000000Z")];
            if let Some(reason) = reason {
                let reason_ext = craft::extension("2.5.29.21", false, &encode(0x0A, &[*reason]));
                entry.push(encode(tag::SEQUENCE, &reason_ext));
            }
            encode(tag::SEQUENCE, &entry.concat())
        })
        .collect();
    let mut tbs = vec![
        encode(tag::INTEGER, &[1]),
        sig_alg.clone(),
        issuer.subject.clone(),
        spec.this_update,
    ];
    if let Some(next) = spec.next_update {
        tbs.push(next);
    }
    if !entries.is_empty() {
        tbs.push(encode(tag::SEQUENCE, &entries));
    }
    let mut extensions = spec.extensions;
    if spec.critical_unknown {
        extensions.push(craft::extension("1.2.3.4.6", true, &[0x05, 0x00]));
    }
    if !extensions.is_empty() {
        tbs.push(encode(0xA0, &encode(tag::SEQUENCE, &extensions.concat())));
    }
    let tbs = encode(tag::SEQUENCE, &tbs.concat());
    let signature = spec.forged_by.unwrap_or(&issuer.key).sign(&tbs);
    let bits = encode(tag::BIT_STRING, &[&[0u8][..], &signature].concat());
    encode(tag::SEQUENCE, &[tbs, sig_alg, bits].concat())
}

/// The distribution point of the partitioned lists below.
const CRL_URL: &[u8] = b"http://crl.example/partition-1.crl";

/// `[0] DistributionPointName { [0] fullName { URI } }`.
fn distribution_point(url: &[u8]) -> Vec<u8> {
    encode(0xA0, &encode(0xA0, &encode(0x86, url)))
}

/// An issuingDistributionPoint extension (critical, as RFC 5280 requires) with `fields`.
fn idp(fields: &[u8]) -> Vec<u8> {
    craft::extension("2.5.29.28", true, &encode(tag::SEQUENCE, fields))
}

/// nginx's `ssl_crl`: every certificate of the chain, the root included, needs a current list
/// from its issuer; a delta list, or one partitioned by an issuingDistributionPoint that does not
/// cover the certificate, is no list for it.
fn crl_cases() -> Vec<Case> {
    let root = issue(cn("CRL Root"), Shape::ca(), None);
    let int = issue(cn("CRL Intermediate"), Shape::ca(), Some(&root));
    let leaf = issue(cn("CRL client"), Shape::leaf(), Some(&int));
    let stranger = Key::generate();
    let root_list = |revoked: Vec<(Vec<u8>, Option<u8>)>| {
        crl(
            &root,
            CrlSpec {
                revoked,
                ..CrlSpec::default()
            },
        )
    };
    let int_list = |spec: CrlSpec<'_>| crl(&int, spec);
    let clean = || vec![root_list(vec![]), int_list(CrlSpec::default())];
    let case = |label: &str, crls: Vec<Vec<u8>>| {
        Case::new(&format!("CRL: {label}"), &leaf, &[&int], &[&root]).crls(crls)
    };
    let mut dp_shape = Shape::leaf();
    if let Some(extensions) = dp_shape.extensions.as_mut() {
        let points = encode(
            tag::SEQUENCE,
            &encode(tag::SEQUENCE, &distribution_point(CRL_URL)),
        );
        extensions.push(craft::extension("2.5.29.31", false, &points));
    }
    let leaf_with_dp = issue(
        cn("CRL client with a distribution point"),
        dp_shape,
        Some(&int),
    );
    let mut cases = vec![
        Case::new(
            "CRL: leaf with its distribution point revoked in that partition",
            &leaf_with_dp,
            &[&int],
            &[&root],
        )
        .crls(vec![
            root_list(vec![]),
            int_list(CrlSpec {
                revoked: vec![(serial_of(&leaf_with_dp), None)],
                extensions: vec![idp(&distribution_point(CRL_URL))],
                ..CrlSpec::default()
            }),
        ]),
        case("every list, nothing revoked", clean()),
        case(
            "leaf revoked",
            vec![
                root_list(vec![]),
                int_list(CrlSpec {
                    revoked: vec![(serial_of(&leaf), None)],
                    ..CrlSpec::default()
                }),
            ],
        ),
        case(
            "intermediate revoked",
            vec![
                root_list(vec![(serial_of(&int), None)]),
                int_list(CrlSpec::default()),
            ],
        ),
        case("root's list missing", vec![int_list(CrlSpec::default())]),
        case("intermediate's list missing", vec![root_list(vec![])]),
        case(
            "intermediate's list signed by another key",
            vec![
                root_list(vec![]),
                int_list(CrlSpec {
                    forged_by: Some(&stranger),
                    ..CrlSpec::default()
                }),
            ],
        ),
        case(
            "intermediate's list expired",
            vec![
                root_list(vec![]),
                int_list(CrlSpec {
                    next_update: Some(utc("260101000000Z")),
                    ..CrlSpec::default()
                }),
            ],
        ),
        case(
            "intermediate's list not yet valid",
            vec![
                root_list(vec![]),
                int_list(CrlSpec {
                    this_update: craft::generalized("20350101000000Z"),
                    ..CrlSpec::default()
                }),
            ],
        ),
        case(
            "intermediate's list without nextUpdate",
            vec![
                root_list(vec![]),
                int_list(CrlSpec {
                    next_update: None,
                    ..CrlSpec::default()
                }),
            ],
        ),
        case(
            "leaf listed as removeFromCRL",
            vec![
                root_list(vec![]),
                int_list(CrlSpec {
                    revoked: vec![(serial_of(&leaf), Some(8))],
                    ..CrlSpec::default()
                }),
            ],
        ),
        case(
            "leaf listed with reason keyCompromise",
            vec![
                root_list(vec![]),
                int_list(CrlSpec {
                    revoked: vec![(serial_of(&leaf), Some(1))],
                    ..CrlSpec::default()
                }),
            ],
        ),
        case(
            "intermediate's list is a delta CRL",
            vec![
                root_list(vec![]),
                int_list(CrlSpec {
                    extensions: vec![craft::extension(
                        "2.5.29.27",
                        true,
                        &encode(tag::INTEGER, &[1]),
                    )],
                    ..CrlSpec::default()
                }),
            ],
        ),
        case(
            "intermediate's list for another distribution point",
            vec![
                root_list(vec![]),
                int_list(CrlSpec {
                    extensions: vec![idp(&distribution_point(CRL_URL))],
                    ..CrlSpec::default()
                }),
            ],
        ),
        case(
            "intermediate's list for CA certificates only",
            vec![
                root_list(vec![]),
                int_list(CrlSpec {
                    extensions: vec![idp(&[0x82, 0x01, 0xFF])],
                    ..CrlSpec::default()
                }),
            ],
        ),
        case(
            "leaf revoked in a list for user certificates only",
            vec![
                root_list(vec![]),
                int_list(CrlSpec {
                    revoked: vec![(serial_of(&leaf), None)],
                    extensions: vec![idp(&[0x81, 0x01, 0xFF])],
                    ..CrlSpec::default()
                }),
            ],
        ),
        case(
            "intermediate's list for some reasons only",
            vec![
                root_list(vec![]),
                int_list(CrlSpec {
                    extensions: vec![idp(&[0x83, 0x02, 0x06, 0x40])],
                    ..CrlSpec::default()
                }),
            ],
        ),
        case(
            "intermediate's list with an unknown critical extension",
            vec![
                root_list(vec![]),
                int_list(CrlSpec {
                    critical_unknown: true,
                    ..CrlSpec::default()
                }),
            ],
        ),
        case(
            "leaf revoked in an expired list",
            vec![
                root_list(vec![]),
                int_list(CrlSpec {
                    revoked: vec![(serial_of(&leaf), None)],
                    next_update: Some(utc("260101000000Z")),
                    ..CrlSpec::default()
                }),
            ],
        ),
    ];
    // An intermediate whose keyUsage allows certificates but not lists.
    let no_crl_sign = issue(
        cn("No cRLSign"),
        Shape::with(vec![basic_constraints(true, None), key_usage(0x04)]),
        Some(&root),
    );
    let under = issue(cn("under no cRLSign"), Shape::leaf(), Some(&no_crl_sign));
    cases.push(
        Case::new(
            "CRL: signer without cRLSign",
            &under,
            &[&no_crl_sign],
            &[&root],
        )
        .crls(vec![
            root_list(vec![]),
            crl(&no_crl_sign, CrlSpec::default()),
        ]),
    );
    cases
}

/// A leaf's names: its subject and subjectAltName entries (GeneralName DER).
struct Names {
    subject: Vec<u8>,
    alt_names: Vec<Vec<u8>>,
}

impl Names {
    fn extensions(&self) -> Vec<Vec<u8>> {
        let mut extensions = Shape::leaf().extensions.unwrap_or_default();
        if !self.alt_names.is_empty() {
            extensions.push(craft::extension(
                "2.5.29.17",
                false,
                &encode(tag::SEQUENCE, &self.alt_names.concat()),
            ));
        }
        extensions
    }
}

fn dns(name: &str) -> Vec<u8> {
    encode(0x82, name.as_bytes())
}

fn email(name: &str) -> Vec<u8> {
    encode(0x81, name.as_bytes())
}

fn uri(name: &str) -> Vec<u8> {
    encode(0x86, name.as_bytes())
}

fn ip(octets: &[u8]) -> Vec<u8> {
    encode(0x87, octets)
}

fn directory(name_der: &[u8]) -> Vec<u8> {
    encode(0xA4, name_der)
}

/// nameConstraints with these permitted and excluded bases (GeneralName DER each).
fn name_constraints(permitted: &[Vec<u8>], excluded: &[Vec<u8>]) -> Vec<u8> {
    let subtrees = |bases: &[Vec<u8>]| -> Vec<u8> {
        bases
            .iter()
            .flat_map(|b| encode(tag::SEQUENCE, b))
            .collect()
    };
    let mut value = Vec::new();
    if !permitted.is_empty() {
        value.extend(encode(0xA0, &subtrees(permitted)));
    }
    if !excluded.is_empty() {
        value.extend(encode(0xA1, &subtrees(excluded)));
    }
    craft::extension("2.5.29.30", true, &encode(tag::SEQUENCE, &value))
}

fn name_constraint_cases() -> Vec<(&'static str, Vec<u8>, Names)> {
    let with_sans = |alt_names: Vec<Vec<u8>>| Names {
        subject: cn("Alice Smith"),
        alt_names,
    };
    let org = |o: &str, c: &str| {
        name(&[
            ("2.5.4.6", 0x13, b"DE"),
            ("2.5.4.10", 0x0C, o.as_bytes()),
            ("2.5.4.3", 0x0C, c.as_bytes()),
        ])
    };
    let org_base = name(&[("2.5.4.6", 0x13, b"DE"), ("2.5.4.10", 0x0C, b"Example")]);
    let min_max = {
        let subtree = encode(
            tag::SEQUENCE,
            &[dns("example.com"), encode(0x80, &[1])].concat(),
        );
        craft::extension(
            "2.5.29.30",
            true,
            &encode(tag::SEQUENCE, &encode(0xA0, &subtree)),
        )
    };
    vec![
        (
            "DNS permitted, inside",
            name_constraints(&[dns("example.com")], &[]),
            with_sans(vec![dns("api.example.com")]),
        ),
        (
            "DNS permitted, outside",
            name_constraints(&[dns("example.com")], &[]),
            with_sans(vec![dns("api.example.org")]),
        ),
        (
            "DNS permitted, suffix without a dot",
            name_constraints(&[dns("example.com")], &[]),
            with_sans(vec![dns("badexample.com")]),
        ),
        (
            "DNS permitted with leading dot, the domain itself",
            name_constraints(&[dns(".example.com")], &[]),
            with_sans(vec![dns("example.com")]),
        ),
        (
            "DNS excluded, inside",
            name_constraints(&[], &[dns("internal.example.com")]),
            with_sans(vec![dns("db.internal.example.com")]),
        ),
        (
            "DNS excluded, wildcard over it",
            name_constraints(&[], &[dns("internal.example.com")]),
            with_sans(vec![dns("*.example.com")]),
        ),
        (
            "DNS permitted and excluded",
            name_constraints(&[dns("example.com")], &[dns("internal.example.com")]),
            with_sans(vec![dns("api.example.com"), dns("x.internal.example.com")]),
        ),
        (
            "email permitted domain, inside",
            name_constraints(&[email(".example.com")], &[]),
            with_sans(vec![email("alice@mail.example.com")]),
        ),
        (
            "email permitted domain, the host itself",
            name_constraints(&[email(".example.com")], &[]),
            with_sans(vec![email("alice@example.com")]),
        ),
        (
            "email permitted host",
            name_constraints(&[email("example.com")], &[]),
            with_sans(vec![email("alice@EXAMPLE.com")]),
        ),
        (
            "email permitted mailbox, other case",
            name_constraints(&[email("alice@example.com")], &[]),
            with_sans(vec![email("Alice@example.com")]),
        ),
        (
            "email excluded mailbox",
            name_constraints(&[], &[email("alice@example.com")]),
            with_sans(vec![email("alice@example.com")]),
        ),
        (
            "email without @",
            name_constraints(&[email("example.com")], &[]),
            with_sans(vec![email("alice")]),
        ),
        (
            "email in the subject, outside",
            name_constraints(&[email("example.com")], &[]),
            Names {
                subject: name(&[
                    ("2.5.4.3", 0x0C, b"Alice"),
                    ("1.2.840.113549.1.9.1", 0x16, b"alice@other.org"),
                ]),
                alt_names: vec![dns("x.test")],
            },
        ),
        (
            "email in the subject as UTF8String",
            name_constraints(&[email("example.com")], &[]),
            Names {
                subject: name(&[
                    ("2.5.4.3", 0x0C, b"Alice"),
                    ("1.2.840.113549.1.9.1", 0x0C, b"alice@example.com"),
                ]),
                alt_names: vec![dns("x.test")],
            },
        ),
        (
            "directoryName permitted, inside",
            name_constraints(&[directory(&org_base)], &[]),
            Names {
                subject: org("Example", "alice"),
                alt_names: vec![dns("x.test")],
            },
        ),
        (
            "directoryName permitted, outside",
            name_constraints(&[directory(&org_base)], &[]),
            Names {
                subject: org("Other", "alice"),
                alt_names: vec![dns("x.test")],
            },
        ),
        (
            "directoryName excluded",
            name_constraints(&[], &[directory(&org_base)]),
            Names {
                subject: org("Example", "alice"),
                alt_names: vec![dns("x.test")],
            },
        ),
        (
            "directoryName permitted, folded case",
            name_constraints(&[directory(&org_base)], &[]),
            Names {
                subject: org("EXAMPLE", "alice"),
                alt_names: vec![dns("x.test")],
            },
        ),
        (
            "URI permitted, inside",
            name_constraints(&[uri(".example.com")], &[]),
            with_sans(vec![uri("https://api.example.com:8443/path")]),
        ),
        (
            "URI permitted, outside",
            name_constraints(&[uri(".example.com")], &[]),
            with_sans(vec![uri("https://api.example.org/")]),
        ),
        (
            "URI with an IP address",
            name_constraints(&[uri(".example.com")], &[]),
            with_sans(vec![uri("https://10.1.2.3/")]),
        ),
        (
            "URI constraint that is not a domain",
            name_constraints(&[uri("exa_mple.com")], &[]),
            with_sans(vec![uri("https://example.com/")]),
        ),
        (
            "iPAddress constraint and address",
            name_constraints(&[ip(&[10, 0, 0, 0, 255, 0, 0, 0])], &[]),
            with_sans(vec![ip(&[10, 1, 2, 3])]),
        ),
        (
            "iPAddress constraint, DNS name only",
            name_constraints(&[ip(&[10, 0, 0, 0, 255, 0, 0, 0])], &[]),
            with_sans(vec![dns("api.example.com")]),
        ),
        (
            "minimum given",
            min_max,
            with_sans(vec![dns("api.example.com")]),
        ),
        (
            "no SANs, host-like common name",
            name_constraints(&[dns("example.com")], &[]),
            Names {
                subject: cn("client"),
                alt_names: vec![],
            },
        ),
        (
            "no SANs, common name a host outside",
            name_constraints(&[dns("example.com")], &[]),
            Names {
                subject: cn("api.example.org"),
                alt_names: vec![],
            },
        ),
        (
            "e-mail SAN only, common name a host outside",
            name_constraints(&[dns("example.com")], &[]),
            Names {
                subject: cn("api.example.org"),
                alt_names: vec![email("alice@example.com")],
            },
        ),
        (
            "no SANs, decorative common name",
            name_constraints(&[dns("example.com")], &[]),
            Names {
                subject: cn("Alice Smith"),
                alt_names: vec![],
            },
        ),
    ]
}

/// The root version of a CA shape: the same extensions (a v1 root has none).
fn odd_root_extensions(label: &str) -> Option<Vec<Vec<u8>>> {
    match label {
        "v1" => None,
        "no basicConstraints, keyCertSign" => Some(vec![key_usage(CERT_SIGN)]),
        "no basicConstraints, no keyUsage" => Some(vec![]),
        "CA:FALSE" => Some(vec![basic_constraints(false, None), key_usage(CERT_SIGN)]),
        "CA:TRUE without keyCertSign" => Some(vec![basic_constraints(true, None), key_usage(0x80)]),
        "CA:TRUE, keyUsage cRLSign only" => {
            Some(vec![basic_constraints(true, None), key_usage(0x02)])
        }
        "EKU serverAuth" => Some(vec![
            basic_constraints(true, None),
            extended_key_usage(&[SERVER_AUTH]),
        ]),
        "EKU clientAuth" => Some(vec![
            basic_constraints(true, None),
            extended_key_usage(&[CLIENT_AUTH]),
        ]),
        "pathlen 0" => Some(vec![basic_constraints(true, Some(0)), key_usage(CERT_SIGN)]),
        _ => Some(vec![
            basic_constraints(true, None),
            craft::extension("1.2.3.4.5", true, &[0x05, 0x00]),
        ]),
    }
}

pub fn cases() -> Vec<Case> {
    let root = issue(cn("Oracle Root"), Shape::ca(), None);
    let int = issue(cn("Oracle Intermediate"), Shape::ca(), Some(&root));
    let leaf = issue(cn("client"), Shape::leaf(), Some(&int));
    let other_root = issue(cn("Unrelated Root"), Shape::ca(), None);
    let mut cases = vec![
        Case::new("chain sent, root trusted", &leaf, &[&int], &[&root]),
        Case::new("leaf alone, root trusted", &leaf, &[], &[&root]),
        Case::new(
            "chain sent, nothing related trusted",
            &leaf,
            &[&int],
            &[&other_root],
        ),
        Case::new("leaf alone, its issuer trusted", &leaf, &[], &[&int]),
        Case::new(
            "leaf alone, its issuer trusted, partial chain",
            &leaf,
            &[],
            &[&int],
        )
        .partial(),
        Case::new("leaf itself trusted, partial chain", &leaf, &[], &[&leaf]).partial(),
        Case::new("leaf itself trusted", &leaf, &[], &[&leaf]),
        Case::new(
            "chain and root sent, root trusted",
            &leaf,
            &[&int, &root],
            &[&root],
        ),
        Case::new(
            "chain and root sent, nothing trusted",
            &leaf,
            &[&int, &root],
            &[&other_root],
        ),
        Case::new("root presented, untrusted", &root, &[], &[&other_root]),
        Case::new("root presented, trusted", &root, &[], &[&root]),
    ];
    // Validity, at the second.
    let (start, end) = (1_577_836_800, 2_208_988_800); // 2020-01-01, 2040-01-01
    for (label, at) in [
        ("a second before notBefore", start - 1),
        ("at notBefore", start),
        ("a second before notAfter", end - 1),
        ("at notAfter", end),
    ] {
        cases.push(Case::new(label, &leaf, &[&int], &[&root]).at(at));
    }
    let self_signed = issue(cn("self"), Shape::leaf(), None);
    cases.push(Case::new(
        "self-signed leaf, untrusted",
        &self_signed,
        &[],
        &[&root],
    ));
    cases.push(
        Case::new(
            "self-signed leaf, untrusted and expired",
            &self_signed,
            &[],
            &[&root],
        )
        .at(end + 10),
    );
    cases.push(
        Case::new(
            "leaf alone, issuer unknown, expired",
            &leaf,
            &[],
            &[&other_root],
        )
        .at(end + 10),
    );
    // The top of an untrusted chain has expired (the leaf has not): the older BoringSSL never
    // looks at that certificate's dates, the current one does.
    let short_lived = issue(
        cn("Short-lived Intermediate"),
        Shape {
            not_after: utc("250101000000Z"),
            ..Shape::ca()
        },
        Some(&root),
    );
    let under_short_lived = issue(cn("under short-lived"), Shape::leaf(), Some(&short_lived));
    cases.push(Case::new(
        "chain sent, its expired intermediate untrusted, nothing related trusted",
        &under_short_lived,
        &[&short_lived],
        &[&other_root],
    ));
    // Purposes.
    for (label, ekus) in [
        ("serverAuth only", vec![SERVER_AUTH]),
        ("serverAuth and clientAuth", vec![SERVER_AUTH, CLIENT_AUTH]),
        ("anyExtendedKeyUsage", vec!["2.5.29.37.0"]),
    ] {
        let leaf = issue(
            cn(label),
            Shape::with(vec![key_usage(0x80), extended_key_usage(&ekus)]),
            Some(&int),
        );
        cases.push(Case::new(
            &format!("leaf EKU {label}"),
            &leaf,
            &[&int],
            &[&root],
        ));
    }
    let no_eku = issue(cn("no EKU"), Shape::with(vec![key_usage(0x80)]), Some(&int));
    cases.push(Case::new("leaf without EKU", &no_eku, &[&int], &[&root]));
    let key_encipherment = issue(
        cn("keyEncipherment"),
        Shape::with(vec![key_usage(0x20), extended_key_usage(&[CLIENT_AUTH])]),
        Some(&int),
    );
    cases.push(Case::new(
        "leaf keyUsage keyEncipherment only",
        &key_encipherment,
        &[&int],
        &[&root],
    ));
    // Every shape of issuing CA, sent as the intermediate and placed in the store.
    let ca_shapes: Vec<(&str, Option<Vec<Vec<u8>>>)> = vec![
        (
            "no basicConstraints, keyCertSign",
            Some(vec![key_usage(CERT_SIGN)]),
        ),
        (
            "no basicConstraints, no keyUsage",
            Some(vec![extended_key_usage(&[CLIENT_AUTH])]),
        ),
        (
            "CA:FALSE",
            Some(vec![basic_constraints(false, None), key_usage(CERT_SIGN)]),
        ),
        (
            "CA:TRUE without keyCertSign",
            Some(vec![basic_constraints(true, None), key_usage(0x80)]),
        ),
        (
            "CA:TRUE, keyUsage cRLSign only",
            Some(vec![basic_constraints(true, None), key_usage(0x02)]),
        ),
        ("v1", None),
        (
            "EKU serverAuth",
            Some(vec![
                basic_constraints(true, None),
                extended_key_usage(&[SERVER_AUTH]),
            ]),
        ),
        (
            "EKU clientAuth",
            Some(vec![
                basic_constraints(true, None),
                extended_key_usage(&[CLIENT_AUTH]),
            ]),
        ),
        (
            "pathlen 0",
            Some(vec![basic_constraints(true, Some(0)), key_usage(CERT_SIGN)]),
        ),
        (
            "unknown critical extension",
            Some(vec![
                basic_constraints(true, None),
                craft::extension("1.2.3.4.5", true, &[0x05, 0x00]),
            ]),
        ),
    ];
    for (label, extensions) in ca_shapes {
        let shape = Shape {
            extensions,
            ..Shape::ca()
        };
        let odd = issue(cn(&format!("CA {label}")), shape, Some(&int));
        let leaf = issue(
            cn(&format!("leaf under {label}")),
            Shape::leaf(),
            Some(&odd),
        );
        cases.push(Case::new(
            &format!("intermediate {label}, sent"),
            &leaf,
            &[&odd, &int],
            &[&root],
        ));
        cases.push(Case::new(
            &format!("intermediate {label}, trusted"),
            &leaf,
            &[],
            &[&odd, &int, &root],
        ));
        // The same shape as a self-signed root.
        let shape = Shape {
            extensions: odd_root_extensions(label),
            ..Shape::ca()
        };
        let odd_root = issue(cn(&format!("Root {label}")), shape, None);
        let leaf = issue(
            cn(&format!("leaf under root {label}")),
            Shape::leaf(),
            Some(&odd_root),
        );
        cases.push(Case::new(
            &format!("root {label}, trusted"),
            &leaf,
            &[],
            &[&odd_root],
        ));
        cases.push(Case::new(
            &format!("root {label}, sent and trusted"),
            &leaf,
            &[&odd_root],
            &[&odd_root],
        ));
    }
    // A root whose CA extensions disagree (CA:TRUE, keyUsage without keyCertSign), linked to
    // its leaf by key identifiers as public test suites' roots are.
    let inconsistent_root = issue(
        cn("Inconsistent Root"),
        Shape::with(vec![
            basic_constraints(true, None),
            key_usage(0x86 & !CERT_SIGN),
            craft::subject_key_id(&[0x1D; 20]),
        ]),
        None,
    );
    let mut leaf_shape = Shape::leaf();
    if let Some(extensions) = leaf_shape.extensions.as_mut() {
        extensions.push(craft::authority_key_id(&[0x1D; 20]));
    }
    let leaf_with_akid = issue(
        cn("leaf under inconsistent root"),
        leaf_shape,
        Some(&inconsistent_root),
    );
    cases.push(Case::new(
        "root CA:TRUE, keyUsage digitalSignature and cRLSign, key identifiers, trusted",
        &leaf_with_akid,
        &[],
        &[&inconsistent_root],
    ));
    // pathLenConstraint 0 with a CA below it: violated when sent, unchecked when trusted.
    let no_sub_cas = issue(
        cn("No Sub-CAs"),
        Shape::with(vec![basic_constraints(true, Some(0)), key_usage(CERT_SIGN)]),
        Some(&root),
    );
    let sub_ca = issue(cn("Sub-CA"), Shape::ca(), Some(&no_sub_cas));
    let deep = issue(cn("under sub-CA"), Shape::leaf(), Some(&sub_ca));
    cases.push(Case::new(
        "pathlen 0 exceeded, sent",
        &deep,
        &[&sub_ca, &no_sub_cas],
        &[&root],
    ));
    cases.push(Case::new(
        "pathlen 0 exceeded, trusted",
        &deep,
        &[&sub_ca],
        &[&no_sub_cas, &root],
    ));
    // Name constraints, on a sent intermediate and on the trusted root.
    for (label, constraints, names) in name_constraint_cases() {
        let constrained = issue(
            cn(&format!("NC {label}")),
            Shape::with(vec![
                basic_constraints(true, None),
                key_usage(CERT_SIGN),
                constraints.clone(),
            ]),
            Some(&root),
        );
        let leaf = issue(
            names.subject.clone(),
            Shape::with(names.extensions()),
            Some(&constrained),
        );
        cases.push(Case::new(
            &format!("name constraints: {label}"),
            &leaf,
            &[&constrained],
            &[&root],
        ));
        let constrained_root = issue(
            cn(&format!("NC root {label}")),
            Shape::with(vec![
                basic_constraints(true, None),
                key_usage(CERT_SIGN),
                constraints,
            ]),
            None,
        );
        let leaf = issue(
            names.subject.clone(),
            Shape::with(names.extensions()),
            Some(&constrained_root),
        );
        cases.push(Case::new(
            &format!("name constraints on the root: {label}"),
            &leaf,
            &[],
            &[&constrained_root],
        ));
    }
    cases.extend(crl_cases());
    cases.extend(key_cases());
    cases.extend(undecodable_cases(&root));
    // A signature that does not verify: the leaf claims the intermediate but another key signed.
    let impostor = Entity {
        key: Key::generate(),
        ..issue(cn("Oracle Intermediate"), Shape::ca(), Some(&root))
    };
    let forged = issue(cn("forged"), Shape::leaf(), Some(&impostor));
    cases.push(Case::new(
        "leaf signed by another key",
        &forged,
        &[&int],
        &[&root],
    ));
    // Names compare canonically: case, spacing and string type do not matter.
    let folded_root = issue(
        name(&[("2.5.4.3", 0x13, b"  oracle   FOLDED root ")]),
        Shape::ca(),
        None,
    );
    let folded_leaf = Entity {
        subject: cn("folded client"),
        ..issue(cn("folded client"), Shape::leaf(), Some(&folded_root))
    };
    let renamed = {
        let key = Key::generate();
        let spec = Spec {
            subject: cn("folded client"),
            issuer: cn("Oracle Folded Root"),
            serial: vec![0x33],
            not_before: utc("200101000000Z"),
            not_after: craft::generalized("20400101000000Z"),
            extensions: Shape::leaf().extensions,
        };
        Entity {
            der: craft::build(&spec, &key, &folded_root.key),
            key,
            subject: spec.subject,
        }
    };
    cases.push(Case::new(
        "issuer name folded (case, spaces, type)",
        &renamed,
        &[],
        &[&folded_root],
    ));
    cases.push(Case::new(
        "issuer name exact",
        &folded_leaf,
        &[],
        &[&folded_root],
    ));
    // Depth: chains of one to five intermediates under depth 0 to 5.
    let mut issuers = vec![root];
    for level in 1..=5 {
        let ca = issue(cn(&format!("Level {level}")), Shape::ca(), issuers.last());
        issuers.push(ca);
    }
    for intermediates in [1usize, 3, 5] {
        let leaf = issue(
            cn(&format!("deep {intermediates}")),
            Shape::leaf(),
            Some(&issuers[intermediates]),
        );
        let chain: Vec<&Entity> = issuers[1..=intermediates].iter().rev().collect();
        for depth in 0..=5 {
            cases.push(
                Case::new(
                    &format!("{intermediates} intermediates, depth {depth}"),
                    &leaf,
                    &chain,
                    &[&issuers[0]],
                )
                .depth(depth),
            );
        }
    }
    cases
}

/// Puts every case to `library` (its verdict, `SUCCESS` or `FAILED:<reason>`) and to Certlens's
/// `profile` (with the case's revocation lists), whose verdict for that library `ours` reads;
/// prints the table and fails on any difference.
pub fn hold_profile_to(
    library_name: &str,
    profile: certlens::fields::Profile,
    ours: impl Fn(&certlens::verify::Verification) -> String,
    library: impl Fn(&Case) -> String,
) {
    use certlens::certificate::Certificate;
    use certlens::certificate::Instant;
    use certlens::verify::{Crl, Options, verify_with_crls};
    let mut rows = Vec::new();
    let mut differences = Vec::new();
    let all = cases();
    for case in &all {
        let theirs = library(case);
        let parse = |der: &Vec<u8>| Certificate::from_der(der).unwrap();
        let crls: Vec<Crl> = case
            .crls
            .iter()
            .map(|der| Crl::from_bytes(der).unwrap())
            .collect();
        let ours_verification = verify_with_crls(
            &parse(&case.leaf),
            &case.chain.iter().map(parse).collect::<Vec<_>>(),
            &case.trusted.iter().map(parse).collect::<Vec<_>>(),
            &crls,
            profile.library(),
            &Options {
                at: Instant::from_unix(case.at),
                depth: case.depth as usize,
                partial_chain: case.partial_chain,
            },
        );
        let ours = ours(&ours_verification);
        if ours != theirs {
            differences.push(format!(
                "{}: {library_name} {theirs}, Certlens {ours}",
                case.label
            ));
        }
        rows.push(format!("| {} | {theirs} | {ours} |", case.label));
    }
    eprintln!(
        "| case | {library_name} | {} profile |\n|---|---|---|\n{}",
        profile.name(),
        rows.join("\n")
    );
    eprintln!("{} cases, {} differences", all.len(), differences.len());
    assert!(differences.is_empty(), "{}", differences.join("\n"));
}
