//! The name vectors: (DER, RFC 2253, legacy) as each library prints them.

use super::*;

fn both(hex_der: &str, rules: TlsLibrary) -> (String, String) {
    let der = hex::decode(hex_der).unwrap();
    let name = format_name(&der, rules).unwrap();
    (name.rfc2253, name.legacy)
}

/// (id, DER, RFC 2253, legacy) as BoringSSL prints them.
const BORINGSSL_VECTORS: &[(&str, &str, &str, &str)] = &[
    (
        "N1",
        "3070310b3009060355040613025553310e300c060355040813055465786173310f300d0603550407130641757374696e31173015060355040a130e4163636573732054657374696e67310b3009060355040b13025458311a3018060355040313114163636573732054657374696e67204341",
        "CN=Access Testing CA,OU=TX,O=Access Testing,L=Austin,ST=Texas,C=US",
        "/C=US/ST=Texas/L=Austin/O=Access Testing/OU=TX/CN=Access Testing CA",
    ),
    (
        "N2",
        "3081a2310b3009060355040613025553311330110603550408130a43616c69666f726e6961311630140603550407130d53616e204672616e636973636f31193017060355040a1310436c6f7564666c6172652c20496e632e311b3019060355040b13127777772e636c6f7564666c6172652e636f6d312e302c060355040313254d616e61676564204341206162636465666768696a6b6c6d6e6f7071313233343536373839",
        "CN=Managed CA abcdefghijklmnopq123456789,OU=www.cloudflare.com,O=Cloudflare\\, Inc.,L=San Francisco,ST=California,C=US",
        "/C=US/ST=California/L=San Francisco/O=Cloudflare, Inc./OU=www.cloudflare.com/CN=Managed CA abcdefghijklmnopq123456789",
    ),
    (
        "N3",
        "301b31193017060355040a0c10436c6f7564666c6172652c20496e632e",
        "O=Cloudflare\\, Inc.",
        "/O=Cloudflare, Inc.",
    ),
    (
        "N4",
        "300e310c300a06035504030c03612b62",
        "CN=a\\+b",
        "/CN=a+b",
    ),
    (
        "N5",
        "30173115301306035504030c0c486520736169642022686922",
        "CN=He said \\\"hi\\\"",
        "/CN=He said \"hi\"",
    ),
    (
        "N6",
        "300e310c300a06035504030c03615c62",
        "CN=a\\\\b",
        "/CN=a\\b",
    ),
    (
        "N7",
        "30143112301006035504030c09613b623c633e643d65",
        "CN=a\\;b\\<c\\>d=e",
        "/CN=a;b<c>d=e",
    ),
    (
        "N8",
        "3010310e300c06035504030c05206c656164",
        "CN=\\ lead",
        "/CN= lead",
    ),
    (
        "N9",
        "3011310f300d06035504030c06747261696c20",
        "CN=trail\\ ",
        "/CN=trail ",
    ),
    (
        "N10",
        "300e310c300a06035504030c03612020",
        "CN=a \\ ",
        "/CN=a  ",
    ),
    (
        "N11",
        "3011310f300d06035504030c0620626f746820",
        "CN=\\ both\\ ",
        "/CN= both ",
    ),
    ("N12", "300c310a300806035504030c0120", "CN=\\ ", "/CN= "),
    (
        "N13",
        "3010310e300c06035504030c052368617368",
        "CN=\\#hash",
        "/CN=#hash",
    ),
    ("N14", "300c310a300806035504030c0123", "CN=\\#", "/CN=#"),
    (
        "N15",
        "300e310c300a06035504030c03612362",
        "CN=a#b",
        "/CN=a#b",
    ),
    (
        "N16",
        "301a310c300a060355040a0c03412f42310a300806035504030c0178",
        "CN=x,O=A/B",
        "/O=A/B/CN=x",
    ),
    ("N17", "300b3109300706035504030c00", "CN=", "/CN="),
    ("N18", "3000", "", ""),
    (
        "N19",
        "30123110300e06035504070c075ac3bc72696368",
        "L=Z\\C3\\BCrich",
        "/L=Z\\xC3\\xBCrich",
    ),
    (
        "N20",
        "3011310f300d06035504030c06e697a5e69cac",
        "CN=\\E6\\97\\A5\\E6\\9C\\AC",
        "/CN=\\xE6\\x97\\xA5\\xE6\\x9C\\xAC",
    ),
    (
        "N21",
        "3010310e300c06035504030c0561f09f9880",
        "CN=a\\F0\\9F\\98\\80",
        "/CN=a\\xF0\\x9F\\x98\\x80",
    ),
    (
        "N22",
        "300e310c300a06035504030c03c3a961",
        "CN=\\C3\\A9a",
        "/CN=\\xC3\\xA9a",
    ),
    (
        "N23",
        "30173115301306035504071e0c005a00fc0072006900630068",
        "L=Z\\C3\\BCrich",
        "/L=\\x00Z\\x00\\xFC\\x00r\\x00i\\x00c\\x00h",
    ),
    (
        "N24",
        "300f310d300b06035504031e0400410042",
        "CN=AB",
        "/CN=\\x00A\\x00B",
    ),
    (
        "N25",
        "300f310d300b06035504031e0465e5672c",
        "CN=\\E6\\97\\A5\\E6\\9C\\AC",
        "/CN=e\\xE5g,",
    ),
    (
        "N27",
        "30173115301306035504031c0c0000005a000000fc0001f600",
        "CN=Z\\C3\\BC\\F0\\9F\\98\\80",
        "/CN=\\x00\\x00\\x00Z\\x00\\x00\\x00\\xFC\\x00\\x01\\xF6\\x00",
    ),
    (
        "N28",
        "300f310d300b06035504031404636166e9",
        "CN=caf\\C3\\A9",
        "/CN=caf\\xE9",
    ),
    (
        "N29",
        "300f310d300b06035504031304636166e9",
        "CN=caf\\C3\\A9",
        "/CN=caf\\xE9",
    ),
    (
        "N30",
        "3014311230100603550403160961016209637f640065",
        "CN=a\\01b\\09c\\7Fd\\00e",
        "/CN=a\\x01b\\x09c\\x7Fd\\x00e",
    ),
    (
        "N32",
        "300e310c300a06035504031a03766973",
        "CN=vis",
        "/CN=vis",
    ),
    (
        "N33",
        "3010310e300c060355040512053132333435",
        "serialNumber=12345",
        "/serialNumber=12345",
    ),
    (
        "N34",
        "303e310b3009060355040613025553310c300a060355040a0c034f72673121300c06035504030c05616c6963653011060a0992268993f22c6401010c03313233",
        "UID=123+CN=alice,O=Org,C=US",
        "/C=US/O=Org/CN=alice/UID=123",
    ),
    (
        "N35",
        "302c311e3008060355040b0c01613008060355040b0c01623008060355040b0c0163310a300806035504030c0178",
        "CN=x,OU=c+OU=b+OU=a",
        "/OU=a/OU=b/OU=c/CN=x",
    ),
    (
        "N36",
        "301a310a300806035504030c0178310c300a06032a03040c03616263",
        "1.2.3.4=#0C03616263,CN=x",
        "/CN=x/1.2.3.4=abc",
    ),
    (
        "N37",
        "300e310c300a06032a03041303612c62",
        "1.2.3.4=#1303612C62",
        "/1.2.3.4=a,b",
    ),
    (
        "N38",
        "30818d3114301206092a864886f70d01090116056140622e63310d300b060355040513043132333431173015060a0992268993f22c64011916076578616d706c6531133011060a0992268993f22c6401191603636f6d31143012060a0992268993f22c6401010c046a646f653112301006035504090c0931204d61696e205374310e300c06035504110c053132333435",
        "postalCode=12345,street=1 Main St,UID=jdoe,DC=com,DC=example,serialNumber=1234,emailAddress=a@b.c",
        "/emailAddress=a@b.c/serialNumber=1234/DC=example/DC=com/UID=jdoe/street=1 Main St/postalCode=12345",
    ),
    (
        "N39",
        "308180311d301b060355040f0c1450726976617465204f7267616e697a6174696f6e31133011060b2b0601040182373c0201031302555331193017060b2b0601040182373c0201020c0844656c6177617265311b3019060b2b0601040182373c0201010c0a57696c6d696e67746f6e3112301006035504610c0956415444452d313233",
        "2.5.4.97=#0C0956415444452D313233,1.3.6.1.4.1.311.60.2.1.1=#0C0A57696C6D696E67746F6E,1.3.6.1.4.1.311.60.2.1.2=#0C0844656C6177617265,1.3.6.1.4.1.311.60.2.1.3=#13025553,businessCategory=Private Organization",
        "/businessCategory=Private Organization/1.3.6.1.4.1.311.60.2.1.3=US/1.3.6.1.4.1.311.60.2.1.2=Delaware/1.3.6.1.4.1.311.60.2.1.1=Wilmington/2.5.4.97=VATDE-123",
    ),
    (
        "N40",
        "308186310d300b060355042a0c044a6f686e310c300a06035504040c03446f65310b3009060355040c0c024472310b3009060355042b0c024a44310b300906035504410c026a64310a3008060355042e130171310a3008060355040d0c0164310a300806035504290c016e310b3009060355042c0c024a72310f300d060355041413062b3120353535",
        "telephoneNumber=\\+1 555,generationQualifier=Jr,name=n,description=d,dnQualifier=q,pseudonym=jd,initials=JD,title=Dr,SN=Doe,GN=John",
        "/GN=John/SN=Doe/title=Dr/initials=JD/pseudonym=jd/dnQualifier=q/description=d/name=n/generationQualifier=Jr/telephoneNumber=+1 555",
    ),
    (
        "N41",
        "304331153013060a0992268993f22c64010316056140622e633111300f06092a864886f70d0109021602756e310b3009060355042d030200ab310a300806035504480c0172",
        "role=r,x500UniqueIdentifier=#030200AB,unstructuredName=un,mail=a@b.c",
        "/mail=a@b.c/unstructuredName=un/x500UniqueIdentifier=\\xAB/role=r",
    ),
    (
        "N42",
        "300c310a30080603550403020105",
        "CN=#020105",
        "/CN=\\x05",
    ),
    (
        "N43",
        "300d310b3009060355040b04020102",
        "OU=#04020102",
        "/OU=\\x01\\x02",
    ),
    (
        "N44",
        "30163114301206035504030c0b20232c2b225c3c3e3b3d20",
        "CN=\\ #\\,\\+\\\"\\\\\\<\\>\\;=\\ ",
        "/CN= #,+\"\\<>;= ",
    ),
    (
        "N45",
        "300e310c300a06035504030c03227122",
        "CN=\\\"q\\\"",
        "/CN=\"q\"",
    ),
    (
        "N46",
        "30323130302e06292b06010401baef9a15baef9a16baef9a17baef9a18baef9a19baef9a1abaef9a1bbaef9a1cbaef9a1d0c0176",
        "1.3.6.1.4.1.123456789.123456790.123456791.123456792.123456793.123456794.1234567=#0C0176",
        "/1.3.6.1.4.1.123456789.123456790.123456791.123456792.123456793.123456794.1234567=v",
    ),
    (
        "N47",
        "300f310d300b06035504030c04610d0a62",
        "CN=a\\0D\\0Ab",
        "/CN=a\\x0D\\x0Ab",
    ),
    (
        "N48",
        "300d310b300906032a03041e020041",
        "1.2.3.4=#1E020041",
        "/1.2.3.4=\\x00A",
    ),
    (
        "N49",
        "300d310b3009060355040316027e7f",
        "CN=~\\7F",
        "/CN=~\\x7F",
    ),
    (
        "N50",
        "3010310e300c06035504030c05613d622f63",
        "CN=a=b/c",
        "/CN=a=b/c",
    ),
    (
        "N51",
        "30183116301406092a864886f70d0109011607612b6240632e64",
        "emailAddress=a\\+b@c.d",
        "/emailAddress=a+b@c.d",
    ),
    ("N52", "300d310b300906035504030c022023", "CN=\\ #", "/CN= #"),
    (
        "N53",
        "300d310b300906035504030c022320",
        "CN=\\#\\ ",
        "/CN=# ",
    ),
    (
        "N54",
        "300e310c300a06035504030c03c2a078",
        "CN=\\C2\\A0x",
        "/CN=\\xC2\\xA0x",
    ),
];

#[test]
fn cloudflare_profile_matches_every_boringssl_vector() {
    for (id, der, rfc, legacy) in BORINGSSL_VECTORS {
        assert_eq!(
            both(der, TlsLibrary::BoringSsl),
            (rfc.to_string(), legacy.to_string()),
            "{id}"
        );
    }
}

/// Where OpenSSL 3.0 prints other bytes than BoringSSL for the same names.
#[test]
fn nginx_profile_follows_openssl_where_it_differs() {
    let openssl_differences: &[(&str, Option<&str>, Option<&str>)] = &[
        ("N4", None, Some("/CN=a\\+b")),
        ("N14", Some("CN=#"), None),
        ("N16", None, Some("/O=A\\/B/CN=x")),
        ("N34", None, Some("/C=US/O=Org/CN=alice+UID=123")),
        ("N35", None, Some("/OU=a+OU=b+OU=c/CN=x")),
        (
            "N39",
            Some(
                "organizationIdentifier=VATDE-123,jurisdictionL=Wilmington,jurisdictionST=Delaware,jurisdictionC=US,businessCategory=Private Organization",
            ),
            Some(
                "/businessCategory=Private Organization/jurisdictionC=US/jurisdictionST=Delaware/jurisdictionL=Wilmington/organizationIdentifier=VATDE-123",
            ),
        ),
        (
            "N40",
            None,
            Some(
                "/GN=John/SN=Doe/title=Dr/initials=JD/pseudonym=jd/dnQualifier=q/description=d/name=n/generationQualifier=Jr/telephoneNumber=\\+1 555",
            ),
        ),
        ("N44", None, Some("/CN= #,\\+\"\\<>;= ")),
        ("N50", None, Some("/CN=a=b\\/c")),
        ("N51", None, Some("/emailAddress=a\\+b@c.d")),
    ];
    for (id, der, rfc, legacy) in BORINGSSL_VECTORS {
        let (want_rfc, want_legacy) = openssl_differences
            .iter()
            .find(|(d, _, _)| d == id)
            .map(|(_, r, l)| (r.unwrap_or(rfc), l.unwrap_or(legacy)))
            .unwrap_or((rfc, legacy));
        assert_eq!(
            both(der, TlsLibrary::OpenSsl),
            (want_rfc.to_string(), want_legacy.to_string()),
            "{id}"
        );
    }
}

#[test]
fn names_the_edge_would_refuse_are_flagged() {
    // N26: BMPString with surrogates; N31: invalid UTF-8 — both libraries refuse them.
    for der in [
        "3011310f300d06035504031e060061d83dde00",
        "300e310c300a06035504030c0361c328",
    ] {
        let der = hex::decode(der).unwrap();
        assert!(
            format_name(&der, TlsLibrary::BoringSsl)
                .unwrap()
                .rejected
                .is_some()
        );
    }
    // N32 (VisibleString), N42 (INTEGER), N43 (OCTET STRING): only OpenSSL refuses them.
    for der in [
        "300e310c300a06035504031a03766973",
        "300c310a30080603550403020105",
        "300d310b3009060355040b04020102",
    ] {
        let der = hex::decode(der).unwrap();
        assert!(
            format_name(&der, TlsLibrary::BoringSsl)
                .unwrap()
                .rejected
                .is_none()
        );
        assert!(
            format_name(&der, TlsLibrary::OpenSsl)
                .unwrap()
                .rejected
                .is_some()
        );
    }
}

#[test]
fn general_string_prints_every_fourth_byte_when_padded() {
    // CN as GeneralString 00 00 00 41 00 00 00 42 -> legacy /CN=AB, RFC 2253 dumps the DER.
    let der = hex::decode("30133111300f06035504031b080000004100000042").unwrap();
    let name = format_name(&der, TlsLibrary::BoringSsl).unwrap();
    assert_eq!(name.legacy, "/CN=AB");
    assert_eq!(name.rfc2253, "CN=#1B080000004100000042");
}

#[test]
fn malformed_names_are_errors() {
    assert!(format_name(&[0x30, 0x03, 0x31, 0x01], TlsLibrary::BoringSsl).is_err());
    assert!(format_name(&[0x31, 0x00], TlsLibrary::BoringSsl).is_err());
}
