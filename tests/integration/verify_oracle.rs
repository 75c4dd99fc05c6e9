//! The verdict oracle: nginx with `ssl_verify_client optional`, `ssl_verify_depth 3` and one
//! server per trust store logs `$ssl_client_verify` for every case, presented by curl (the leaf
//! alone, or with its chain). The `nginx` profile of `certlens verify` must give the same
//! string for every case; the table is printed for the record.

use std::path::Path;

use serde_json::Value;

use crate::common::craft::{self, OpensslKey, Spec, name, utc};
use crate::common::nginx::{Nginx, nginx_available};
use crate::common::{certlens, temp_dir};

/// A CA or leaf in the test PKI.
struct Issued {
    der: Vec<u8>,
    key: OpensslKey,
    ski: Vec<u8>,
}

struct Pki<'a> {
    dir: &'a Path,
    serial: u8,
}

const DIGITAL_SIGNATURE: u8 = 0x80;
const KEY_ENCIPHERMENT: u8 = 0x20;
const KEY_AGREEMENT: u8 = 0x08;
const CERT_SIGN: u8 = 0x04 | 0x02;
const CLIENT_AUTH: &str = "1.3.6.1.5.5.7.3.2";
const SERVER_AUTH: &str = "1.3.6.1.5.5.7.3.1";
const ANY_EKU: &str = "2.5.29.37.0";

fn cn(text: &str) -> Vec<u8> {
    name(&[
        ("2.5.4.10", 0x0C, b"Certlens Verify"),
        ("2.5.4.3", 0x0C, text.as_bytes()),
    ])
}

/// How to make a leaf: key kind, issuer (None: self-signed), extensions, validity, digest.
#[derive(Clone)]
struct LeafSpec<'a> {
    kind: &'a str,
    issuer: Option<(&'a str, &'a Issued)>,
    extensions: Vec<Vec<u8>>,
    validity: (&'a str, &'a str),
    digest: &'a str,
    v1: bool,
}

impl<'a> Pki<'a> {
    fn leaf(&mut self, label: &str, spec: LeafSpec<'_>) -> Issued {
        let key = self.key(label, spec.kind);
        self.issue(
            label,
            key,
            spec.issuer,
            spec.extensions,
            spec.validity,
            spec.digest,
            spec.v1,
        )
    }

    fn key(&self, label: &str, kind: &str) -> OpensslKey {
        OpensslKey::generate(self.dir, label, kind)
    }

    /// Issues a certificate for `subject` with `key`, signed by `issuer` (self-signed when None).
    #[allow(clippy::too_many_arguments)]
    fn issue(
        &mut self,
        subject: &str,
        key: OpensslKey,
        issuer: Option<(&str, &Issued)>,
        extensions: Vec<Vec<u8>>,
        validity: (&str, &str),
        digest: &str,
        v1: bool,
    ) -> Issued {
        self.serial += 1;
        let ski: Vec<u8> = (0..20)
            .map(|i| self.serial.wrapping_mul(31).wrapping_add(i))
            .collect();
        let mut extensions = extensions;
        if !v1 {
            extensions.push(craft::subject_key_id(&ski));
            if let Some((_, issuer)) = issuer {
                extensions.push(craft::authority_key_id(&issuer.ski));
            } else {
                extensions.push(craft::authority_key_id(&ski));
            }
        }
        let spec = Spec {
            subject: cn(subject),
            issuer: cn(issuer.map(|(n, _)| n).unwrap_or(subject)),
            serial: vec![self.serial],
            not_before: utc(validity.0),
            not_after: utc(validity.1),
            extensions: if v1 { None } else { Some(extensions) },
        };
        let signer = issuer.map(|(_, i)| &i.key).unwrap_or(&key);
        let der = signer.issue(&spec, &key.spki.clone(), digest);
        Issued { der, key, ski }
    }
}

const VALID: (&str, &str) = ("200101000000Z", "400101000000Z");
const EXPIRED: (&str, &str) = ("200101000000Z", "210101000000Z");
const FUTURE: (&str, &str) = ("350101000000Z", "400101000000Z");

fn ca_extensions(path_len: Option<u8>) -> Vec<Vec<u8>> {
    vec![
        craft::basic_constraints(true, path_len),
        craft::key_usage(CERT_SIGN),
    ]
}

fn leaf_extensions(ku: Option<u8>, eku: Option<&[&str]>) -> Vec<Vec<u8>> {
    let mut list = vec![craft::basic_constraints(false, None)];
    if let Some(bits) = ku {
        list.push(craft::key_usage(bits));
    }
    if let Some(purposes) = eku {
        list.push(craft::extended_key_usage(purposes));
    }
    list
}

fn pem(certs: &[&Issued]) -> String {
    certs.iter().map(|c| craft::cert_pem(&c.der)).collect()
}

/// What the table shows when the edge refuses the TLS handshake, so no verdict is set.
const REFUSED: &str = "(handshake refused)";

#[test]
fn nginx_profile_gives_nginxs_verdict_in_every_case() {
    if !nginx_available() {
        return;
    }
    let dir = temp_dir();
    let d = dir.path();
    let mut pki = Pki { dir: d, serial: 0 };
    let good = leaf_extensions(Some(DIGITAL_SIGNATURE), Some(&[CLIENT_AUTH]));

    let root = {
        let k = pki.key("root", "rsa:2048");
        pki.issue(
            "Root CA",
            k,
            None,
            ca_extensions(None),
            ("200101000000Z", "450101000000Z"),
            "sha256",
            false,
        )
    };
    let other = {
        let k = pki.key("other", "rsa:2048");
        pki.issue(
            "Other Root CA",
            k,
            None,
            ca_extensions(None),
            VALID,
            "sha256",
            false,
        )
    };
    let int = {
        let k = pki.key("int", "rsa:2048");
        pki.issue(
            "Intermediate CA",
            k,
            Some(("Root CA", &root)),
            ca_extensions(None),
            VALID,
            "sha256",
            false,
        )
    };
    let int_not_ca = {
        let k = pki.key("int-not-ca", "ec");
        pki.issue(
            "Not A CA",
            k,
            Some(("Root CA", &root)),
            vec![
                craft::basic_constraints(false, None),
                craft::key_usage(CERT_SIGN),
            ],
            VALID,
            "sha256",
            false,
        )
    };
    let int_no_bc = {
        let k = pki.key("int-no-bc", "ec");
        pki.issue(
            "No Basic Constraints",
            k,
            Some(("Root CA", &root)),
            vec![craft::key_usage(CERT_SIGN)],
            VALID,
            "sha256",
            false,
        )
    };
    let int_len0 = {
        let k = pki.key("int-len0", "ec");
        pki.issue(
            "Path Length Zero",
            k,
            Some(("Root CA", &root)),
            ca_extensions(Some(0)),
            VALID,
            "sha256",
            false,
        )
    };
    let sub_of_len0 = {
        let k = pki.key("sub-len0", "ec");
        pki.issue(
            "Below Path Length Zero",
            k,
            Some(("Path Length Zero", &int_len0)),
            ca_extensions(None),
            VALID,
            "sha256",
            false,
        )
    };
    let mut deep = vec![];
    for level in 1..=4 {
        let k = pki.key(&format!("deep{level}"), "ec");
        let parent_name = if level == 1 {
            "Root CA".to_owned()
        } else {
            format!("Deep {}", level - 1)
        };
        let parent = if level == 1 { &root } else { &deep[level - 2] };
        let cert = pki.issue(
            &format!("Deep {level}"),
            k,
            Some((&parent_name, parent)),
            ca_extensions(None),
            VALID,
            "sha256",
            false,
        );
        deep.push(cert);
    }

    // Leaves: a good one, and one variation each.
    let by_int = Some(("Intermediate CA", &int));
    let base = LeafSpec {
        kind: "ec",
        issuer: by_int,
        extensions: good.clone(),
        validity: VALID,
        digest: "sha256",
        v1: false,
    };
    let self_signed = LeafSpec {
        issuer: None,
        extensions: leaf_extensions(None, Some(&[CLIENT_AUTH])),
        ..base.clone()
    };
    let mut critical = good.clone();
    critical.push(craft::extension("1.3.6.1.4.1.99999.7", true, &[0x05, 0x00]));
    let leaf_good = pki.leaf("good", base.clone());
    let leaf_root = pki.leaf(
        "from-root",
        LeafSpec {
            issuer: Some(("Root CA", &root)),
            ..base.clone()
        },
    );
    let leaf_expired = pki.leaf(
        "expired",
        LeafSpec {
            validity: EXPIRED,
            ..base.clone()
        },
    );
    let leaf_future = pki.leaf(
        "not-yet-valid",
        LeafSpec {
            validity: FUTURE,
            ..base.clone()
        },
    );
    let leaf_other = pki.leaf(
        "wrong-ca",
        LeafSpec {
            issuer: Some(("Other Root CA", &other)),
            ..base.clone()
        },
    );
    let leaf_other_expired = pki.leaf(
        "wrong-ca-expired",
        LeafSpec {
            issuer: Some(("Other Root CA", &other)),
            validity: EXPIRED,
            ..base.clone()
        },
    );
    let eku_server = pki.leaf(
        "eku-server",
        LeafSpec {
            extensions: leaf_extensions(Some(DIGITAL_SIGNATURE), Some(&[SERVER_AUTH])),
            ..base.clone()
        },
    );
    let eku_any = pki.leaf(
        "eku-any",
        LeafSpec {
            extensions: leaf_extensions(Some(DIGITAL_SIGNATURE), Some(&[ANY_EKU])),
            ..base.clone()
        },
    );
    let no_eku = pki.leaf(
        "no-eku",
        LeafSpec {
            extensions: leaf_extensions(Some(DIGITAL_SIGNATURE), None),
            ..base.clone()
        },
    );
    let ku_no_ds = pki.leaf(
        "ku-no-digitalsignature",
        LeafSpec {
            extensions: leaf_extensions(Some(KEY_ENCIPHERMENT), Some(&[CLIENT_AUTH])),
            ..base.clone()
        },
    );
    let ku_agreement = pki.leaf(
        "ku-keyagreement",
        LeafSpec {
            extensions: leaf_extensions(Some(KEY_AGREEMENT), Some(&[CLIENT_AUTH])),
            ..base.clone()
        },
    );
    let by_not_ca = pki.leaf(
        "issuer-not-ca",
        LeafSpec {
            issuer: Some(("Not A CA", &int_not_ca)),
            ..base.clone()
        },
    );
    let by_no_bc = pki.leaf(
        "issuer-no-bc",
        LeafSpec {
            issuer: Some(("No Basic Constraints", &int_no_bc)),
            ..base.clone()
        },
    );
    let self_plain = pki.leaf("self-signed", self_signed.clone());
    let self_ds = pki.leaf(
        "self-signed-ku-ds",
        LeafSpec {
            issuer: None,
            ..base.clone()
        },
    );
    let self_expired = pki.leaf(
        "self-signed-expired",
        LeafSpec {
            validity: EXPIRED,
            ..self_signed.clone()
        },
    );
    let mut bad_sig = pki.leaf("bad-signature", base.clone());
    let last = bad_sig.der.len() - 3;
    bad_sig.der[last] ^= 0x01;
    let sha1 = pki.leaf(
        "sha1-signed",
        LeafSpec {
            digest: "sha1",
            ..base.clone()
        },
    );
    let rsa1024 = pki.leaf(
        "rsa-1024",
        LeafSpec {
            kind: "rsa:1024",
            ..base.clone()
        },
    );
    let unknown_critical = pki.leaf(
        "unknown-critical",
        LeafSpec {
            extensions: critical,
            ..base.clone()
        },
    );
    let v1 = pki.leaf(
        "v1-certificate",
        LeafSpec {
            extensions: Vec::new(),
            v1: true,
            ..base.clone()
        },
    );
    let under_len0 = pki.leaf(
        "path-length-exceeded",
        LeafSpec {
            issuer: Some(("Below Path Length Zero", &sub_of_len0)),
            ..base.clone()
        },
    );
    let deep3 = pki.leaf(
        "three-intermediates",
        LeafSpec {
            issuer: Some(("Deep 3", &deep[2])),
            ..base.clone()
        },
    );
    let deep4 = pki.leaf(
        "four-intermediates",
        LeafSpec {
            issuer: Some(("Deep 4", &deep[3])),
            ..base.clone()
        },
    );

    // Trust stores, one nginx server each.
    let stores: &[(&str, String)] = &[
        ("root", pem(&[&root])),
        ("root+intermediate", pem(&[&root, &int])),
        ("intermediate", pem(&[&int])),
        ("other", pem(&[&other])),
        ("self-signed", pem(&[&self_plain])),
    ];
    for (label, text) in stores {
        std::fs::write(d.join(format!("store-{label}.pem")), text).unwrap();
    }
    let store_names: Vec<&str> = stores.iter().map(|(l, _)| *l).collect();
    let nginx = Nginx::start_verifying(d, &store_names);

    // (case, presented certificates, store)
    let cases: Vec<(&str, Vec<&Issued>, &str)> = vec![
        ("valid from the root", vec![&leaf_root], "root"),
        (
            "from an intermediate, intermediate sent",
            vec![&leaf_good, &int],
            "root",
        ),
        (
            "from an intermediate, intermediate not sent",
            vec![&leaf_good],
            "root",
        ),
        (
            "store root+intermediate, leaf alone",
            vec![&leaf_good],
            "root+intermediate",
        ),
        (
            "store intermediate only, leaf alone",
            vec![&leaf_good],
            "intermediate",
        ),
        ("wrong CA, leaf alone", vec![&leaf_good], "other"),
        ("wrong CA, chain sent", vec![&leaf_good, &int], "other"),
        ("leaf from another CA", vec![&leaf_other], "root"),
        ("expired", vec![&leaf_expired, &int], "root"),
        ("not yet valid", vec![&leaf_future, &int], "root"),
        ("expired and wrong CA", vec![&leaf_other_expired], "root"),
        ("EKU serverAuth only", vec![&eku_server, &int], "root"),
        ("EKU anyExtendedKeyUsage", vec![&eku_any, &int], "root"),
        ("no EKU", vec![&no_eku, &int], "root"),
        (
            "keyUsage without digitalSignature",
            vec![&ku_no_ds, &int],
            "root",
        ),
        (
            "keyUsage keyAgreement only",
            vec![&ku_agreement, &int],
            "root",
        ),
        (
            "issuer basicConstraints CA:FALSE",
            vec![&by_not_ca, &int_not_ca],
            "root",
        ),
        (
            "issuer without basicConstraints",
            vec![&by_no_bc, &int_no_bc],
            "root",
        ),
        ("self-signed leaf", vec![&self_plain], "root"),
        (
            "self-signed leaf with keyUsage digitalSignature",
            vec![&self_ds],
            "root",
        ),
        ("self-signed leaf, expired", vec![&self_expired], "root"),
        (
            "self-signed leaf, trusted",
            vec![&self_plain],
            "self-signed",
        ),
        ("bad signature", vec![&bad_sig, &int], "root"),
        ("SHA-1 signed", vec![&sha1, &int], "root"),
        ("RSA-1024 key", vec![&rsa1024, &int], "root"),
        (
            "unknown critical extension",
            vec![&unknown_critical, &int],
            "root",
        ),
        ("v1 certificate", vec![&v1, &int], "root"),
        (
            "path length exceeded",
            vec![&under_len0, &sub_of_len0, &int_len0],
            "root",
        ),
        (
            "three intermediates",
            vec![&deep3, &deep[2], &deep[1], &deep[0]],
            "root",
        ),
        (
            "four intermediates",
            vec![&deep4, &deep[3], &deep[2], &deep[1], &deep[0]],
            "root",
        ),
    ];

    let mut table = Vec::new();
    let mut mismatches = Vec::new();
    for (index, (case, presented, store)) in cases.iter().enumerate() {
        let cert_file = d.join(format!("case{index}.pem"));
        std::fs::write(&cert_file, pem(presented)).unwrap();
        let key_file = &presented[0].key.path;
        let port = nginx.port_of(store);
        let tag = format!("case{index}");
        let theirs = match nginx.present_to(port, &tag, &cert_file, key_file) {
            Ok(()) => nginx
                .logged_case(&tag)
                .map(|l| l["ssl_client_verify"].as_str().unwrap().to_owned())
                .unwrap_or_else(|| "(not logged)".to_owned()),
            Err(curl) => {
                eprintln!("{case}: curl: {curl}");
                REFUSED.to_owned()
            }
        };
        let store_file = format!("store-{store}.pem");
        let cert_name = format!("case{index}.pem");
        let mut verdicts = Vec::new();
        for profile in ["nginx", "cloudflare"] {
            let output = certlens(
                d,
                &[
                    "verify",
                    &cert_name,
                    "--ca",
                    &store_file,
                    "--profile",
                    profile,
                    "--format",
                    "json",
                ],
            );
            assert!(
                matches!(output.status.code(), Some(0 | 1)),
                "{case}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            let json: Value = serde_json::from_slice(&output.stdout).unwrap();
            let verdict = json["verdict"].as_str().unwrap().to_owned();
            assert_eq!(
                output.status.code() == Some(0),
                verdict == "SUCCESS",
                "{case}: exit code follows the verdict"
            );
            verdicts.push(verdict);
        }
        if verdicts[0] != theirs {
            mismatches.push(format!(
                "{case}: nginx {theirs:?}, certlens {:?}",
                verdicts[0]
            ));
        }
        table.push(format!(
            "| {case} | {store} | {} | `{theirs}` | `{}` | `{}` |",
            presented.len(),
            verdicts[0],
            verdicts[1]
        ));
    }
    eprintln!(
        "| case | trusted | sent | nginx $ssl_client_verify | certlens nginx | certlens cloudflare |\n|---|---|---|---|---|---|\n{}",
        table.join("\n")
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
