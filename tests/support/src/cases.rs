//! The crafted certificates every field oracle is shown: names with every escape, string type
//! and script, serials of every shape, times of every form, a v1 certificate, an SKI. Shared by
//! the nginx oracle here and the library oracles (`oracles/`), which include this file.

use certlens::certificate::der::{encode, tag};

use crate::craft::{self, Spec, generalized, name, utc};

/// One oracle case: a name, serial or time encoding, in a real signed certificate.
pub struct Case {
    /// A short label (`N19`, `serial-negative`, …).
    pub id: String,
    /// The certificate to build.
    pub spec: Spec,
}

fn hex(text: &str) -> Vec<u8> {
    certlens::certificate::hex::decode(text).unwrap()
}

/// The tricky set: every DN vector of `src/notation/dn/tests.rs` plus more, every serial shape, every
/// time shape, and a v1 certificate.
pub fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let names: &[(&str, &str)] = &[
        (
            "N1",
            "3070310b3009060355040613025553310e300c060355040813055465786173310f300d0603550407130641757374696e31173015060355040a130e4163636573732054657374696e67310b3009060355040b13025458311a3018060355040313114163636573732054657374696e67204341",
        ),
        (
            "N3",
            "301b31193017060355040a0c10436c6f7564666c6172652c20496e632e",
        ),
        ("N4", "300e310c300a06035504030c03612b62"),
        ("N5", "30173115301306035504030c0c486520736169642022686922"),
        ("N6", "300e310c300a06035504030c03615c62"),
        ("N7", "30143112301006035504030c09613b623c633e643d65"),
        ("N8", "3010310e300c06035504030c05206c656164"),
        ("N9", "3011310f300d06035504030c06747261696c20"),
        ("N10", "300e310c300a06035504030c03612020"),
        ("N11", "3011310f300d06035504030c0620626f746820"),
        ("N12", "300c310a300806035504030c0120"),
        ("N13", "3010310e300c06035504030c052368617368"),
        ("N14", "300c310a300806035504030c0123"),
        ("N15", "300e310c300a06035504030c03612362"),
        (
            "N16",
            "301a310c300a060355040a0c03412f42310a300806035504030c0178",
        ),
        ("N17", "300b3109300706035504030c00"),
        ("N18", "3000"),
        ("N19", "30123110300e06035504070c075ac3bc72696368"),
        ("N20", "3011310f300d06035504030c06e697a5e69cac"),
        ("N21", "3010310e300c06035504030c0561f09f9880"),
        ("N22", "300e310c300a06035504030c03c3a961"),
        ("N23", "30173115301306035504071e0c005a00fc0072006900630068"),
        ("N24", "300f310d300b06035504031e0400410042"),
        ("N25", "300f310d300b06035504031e0465e5672c"),
        ("N26", "3011310f300d06035504031e060061d83dde00"),
        ("N27", "30173115301306035504031c0c0000005a000000fc0001f600"),
        ("N28", "300f310d300b06035504031404636166e9"),
        ("N29", "300f310d300b06035504031304636166e9"),
        ("N30", "3014311230100603550403160961016209637f640065"),
        ("N31", "300e310c300a06035504030c0361c328"),
        ("N32", "300e310c300a06035504031a03766973"),
        ("N33", "3010310e300c060355040512053132333435"),
        (
            "N34",
            "303e310b3009060355040613025553310c300a060355040a0c034f72673121300c06035504030c05616c6963653011060a0992268993f22c6401010c03313233",
        ),
        (
            "N35",
            "302c311e3008060355040b0c01613008060355040b0c01623008060355040b0c0163310a300806035504030c0178",
        ),
        (
            "N36",
            "301a310a300806035504030c0178310c300a06032a03040c03616263",
        ),
        ("N37", "300e310c300a06032a03041303612c62"),
        (
            "N38",
            "30818d3114301206092a864886f70d01090116056140622e63310d300b060355040513043132333431173015060a0992268993f22c64011916076578616d706c6531133011060a0992268993f22c6401191603636f6d31143012060a0992268993f22c6401010c046a646f653112301006035504090c0931204d61696e205374310e300c06035504110c053132333435",
        ),
        (
            "N39",
            "308180311d301b060355040f0c1450726976617465204f7267616e697a6174696f6e31133011060b2b0601040182373c0201031302555331193017060b2b0601040182373c0201020c0844656c6177617265311b3019060b2b0601040182373c0201010c0a57696c6d696e67746f6e3112301006035504610c0956415444452d313233",
        ),
        (
            "N40",
            "308186310d300b060355042a0c044a6f686e310c300a06035504040c03446f65310b3009060355040c0c024472310b3009060355042b0c024a44310b300906035504410c026a64310a3008060355042e130171310a3008060355040d0c0164310a300806035504290c016e310b3009060355042c0c024a72310f300d060355041413062b3120353535",
        ),
        (
            "N41",
            "304331153013060a0992268993f22c64010316056140622e633111300f06092a864886f70d0109021602756e310b3009060355042d030200ab310a300806035504480c0172",
        ),
        ("N42", "300c310a30080603550403020105"),
        ("N43", "300d310b3009060355040b04020102"),
        ("N44", "30163114301206035504030c0b20232c2b225c3c3e3b3d20"),
        ("N45", "300e310c300a06035504030c03227122"),
        (
            "N46",
            "30323130302e06292b06010401baef9a15baef9a16baef9a17baef9a18baef9a19baef9a1abaef9a1bbaef9a1cbaef9a1d0c0176",
        ),
        ("N47", "300f310d300b06035504030c04610d0a62"),
        ("N48", "300d310b300906032a03041e020041"),
        ("N49", "300d310b3009060355040316027e7f"),
        ("N50", "3010310e300c06035504030c05613d622f63"),
        (
            "N51",
            "30183116301406092a864886f70d0109011607612b6240632e64",
        ),
        ("N52", "300d310b300906035504030c022023"),
        ("N53", "300d310b300906035504030c022320"),
        ("N54", "300e310c300a06035504030c03c2a078"),
    ];
    for (id, der) in names {
        // The same name as subject and issuer, so both s_dn and i_dn are checked.
        cases.push(Case {
            id: (*id).into(),
            spec: Spec {
                subject: hex(der),
                issuer: hex(der),
                ..Spec::default()
            },
        });
    }
    let ours: &[(&str, Vec<u8>)] = &[
        (
            "emoji-and-control",
            name(&[
                ("2.5.4.6", 0x13, b"JP"),
                ("2.5.4.10", 0x0C, "Café 🚀 \u{7}bell".as_bytes()),
                ("2.5.4.3", 0x0C, b"\ttab,comma;semi"),
            ]),
        ),
        (
            "teletex-bmp-mix",
            name(&[
                ("2.5.4.10", 0x14, b"T\xe9l\xe9tex"),
                ("2.5.4.11", 0x1E, &[0x00, 0x41, 0x04, 0x14]),
                ("2.5.4.3", 0x16, b"ia5 #x"),
            ]),
        ),
        (
            "many-attributes",
            name(&[
                ("0.9.2342.19200300.100.1.25", 0x16, b"org"),
                ("0.9.2342.19200300.100.1.25", 0x16, b"example"),
                ("2.5.4.6", 0x13, b"US"),
                ("2.5.4.8", 0x0C, b"New York"),
                ("2.5.4.7", 0x0C, b"New York"),
                ("2.5.4.9", 0x0C, b"1 Main St"),
                ("2.5.4.17", 0x0C, b"10001"),
                ("2.5.4.10", 0x0C, b"Example+Co"),
                ("2.5.4.11", 0x0C, b"Dev/Ops"),
                ("2.5.4.12", 0x0C, b"Engineer"),
                ("2.5.4.5", 0x13, b"SN-42"),
                ("1.2.840.113549.1.9.1", 0x16, b"dev@example.org"),
                ("2.5.4.3", 0x0C, b"device-0042"),
            ]),
        ),
        (
            "unknown-oid-utf8",
            name(&[
                ("1.3.6.1.4.1.99999.1", 0x0C, b"custom"),
                ("2.5.4.3", 0x0C, b"x"),
            ]),
        ),
        (
            "leading-hash-and-space",
            name(&[("2.5.4.3", 0x0C, b"# spaced  ")]),
        ),
    ];
    for (id, der) in ours {
        cases.push(Case {
            id: (*id).into(),
            spec: Spec {
                subject: der.clone(),
                issuer: der.clone(),
                ..Spec::default()
            },
        });
    }
    let serials: &[(&str, &str)] = &[
        ("serial-zero", "00"),
        ("serial-one", "01"),
        ("serial-high-bit", "00936eacbe07f201df"),
        (
            "serial-20-bytes",
            "527e0f20a20ea2a4146c78390f34ce7af0878ca4",
        ),
        (
            "serial-20-bytes-high",
            "00a27e0f20a20ea2a4146c78390f34ce7af0878ca4",
        ),
        (
            "serial-36-bytes",
            "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324",
        ),
        ("serial-negative-one", "ff"),
        ("serial-negative-129", "ff7f"),
        ("serial-leading-zero-bytes", "000001"),
    ];
    for (id, serial) in serials {
        cases.push(Case {
            id: (*id).into(),
            spec: Spec {
                serial: hex(serial),
                ..Spec::default()
            },
        });
    }
    let times: &[(&str, Vec<u8>, Vec<u8>)] = &[
        (
            "time-single-digit-day",
            utc("240102030405Z"),
            utc("240309101112Z"),
        ),
        ("time-1950-2049", utc("500101000000Z"), utc("491231235959Z")),
        (
            "time-2050-generalized",
            utc("240101000000Z"),
            generalized("20500101000000Z"),
        ),
        (
            "time-9999",
            utc("240101000000Z"),
            generalized("99991231235959Z"),
        ),
        (
            "time-generalized-2019",
            generalized("20190101000000Z"),
            utc("300101000000Z"),
        ),
        (
            "time-fraction",
            utc("240101000000Z"),
            encode(tag::GENERALIZED_TIME, b"20500101000000.123Z"),
        ),
        ("time-no-seconds", utc("1812221939Z"), utc("300101000000Z")),
        (
            "time-offset",
            encode(tag::UTC_TIME, b"181222193900+0100"),
            utc("300101000000Z"),
        ),
        (
            "time-generalized-no-z",
            utc("240101000000Z"),
            encode(tag::GENERALIZED_TIME, b"20500101000000"),
        ),
    ];
    for (id, not_before, not_after) in times {
        cases.push(Case {
            id: (*id).into(),
            spec: Spec {
                not_before: not_before.clone(),
                not_after: not_after.clone(),
                ..Spec::default()
            },
        });
    }
    cases.push(Case {
        id: "v1-certificate".into(),
        spec: Spec {
            extensions: None,
            ..Spec::default()
        },
    });
    cases.push(Case {
        id: "with-ski".into(),
        spec: Spec {
            extensions: Some(vec![
                craft::client_auth_eku(),
                craft::subject_key_id(&hex("27846fae6eac4a8dad9101b519cf1eb460242831")),
            ]),
            ..Spec::default()
        },
    });
    cases
}
