//! The oracle: nginx (Debian's package, OpenSSL 3) on 127.0.0.1 with `ssl_verify_client
//! optional_no_ca` logs its `$ssl_client_*` variables as JSON for each tricky certificate,
//! presented by curl. The `nginx` profile must equal nginx's bytes exactly; where OpenSSL
//! refuses a certificate, Certlens must have warned that it would.

use serde_json::Value;

use crate::common::cases::cases;
use crate::common::craft::{self, Key};
use crate::common::nginx::{Nginx, nginx_available};
use crate::common::{certlens, temp_dir};

#[test]
fn nginx_profile_equals_nginx_byte_for_byte() {
    if !nginx_available() {
        return;
    }
    let dir = temp_dir();
    let d = dir.path();
    let nginx = Nginx::start(d);
    let key = Key::generate();
    std::fs::write(d.join("client.key"), key.pem()).unwrap();

    let cases = cases();
    let mut presented = Vec::new();
    for case in &cases {
        let der = craft::build(&case.spec, &key, &key);
        let cert = d.join(format!("{}.pem", case.id));
        std::fs::write(&cert, craft::cert_pem(&der)).unwrap();
        if nginx.present(&case.id, &cert, &d.join("client.key")) {
            presented.push(case.id.clone());
        }
    }
    if let Some(last) = presented.last() {
        nginx.logged_case(last); // wait until nginx has written the last line
    }
    let logged = nginx.logged();

    let compared = [
        "ssl_client_s_dn",
        "ssl_client_i_dn",
        "ssl_client_s_dn_legacy",
        "ssl_client_i_dn_legacy",
        "ssl_client_serial",
        "ssl_client_fingerprint",
        "ssl_client_v_start",
        "ssl_client_v_end",
        "ssl_client_v_remain",
        "ssl_client_raw_cert",
        "ssl_client_escaped_cert",
    ];
    let mut mismatches = Vec::new();
    let mut agreed = 0;
    for case in &cases {
        let cert = format!("{}.pem", case.id);
        let line = logged.iter().find(|l| l["case"] == case.id.as_str());
        let Some(line) = line else {
            // OpenSSL refused the certificate (curl could not load it, or nginx rejected the
            // handshake): Certlens must have said the nginx edge would refuse it.
            let output = certlens(d, &["fields", &cert, "--profile", "nginx"]);
            let json: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
            let warned = json["warnings"].as_array().is_some_and(|w| {
                w.iter()
                    .any(|w| w.as_str().unwrap_or("").contains("refuse"))
            });
            if !warned {
                mismatches.push(format!(
                    "{}: OpenSSL refused it, but Certlens gave no warning",
                    case.id
                ));
            }
            continue;
        };
        let msec: f64 = line["msec"].as_str().unwrap().parse().unwrap();
        let at = format!("@{}", msec.floor() as i64);
        let output = certlens(d, &["fields", &cert, "--profile", "nginx", "--at", &at]);
        assert!(
            output.status.success(),
            "{}: {}",
            case.id,
            String::from_utf8_lossy(&output.stderr)
        );
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        for var in compared {
            let ours = json["nginx"][var].as_str().unwrap_or("<absent>");
            let theirs = line[var].as_str().unwrap();
            if ours == theirs {
                agreed += 1;
            } else {
                mismatches.push(format!(
                    "{} {var}: nginx {theirs:?}, certlens {ours:?}",
                    case.id
                ));
            }
        }
        // The Cloudflare-named properties carry the same bytes where the profiles agree.
        assert_eq!(
            json["tlsClientAuth"]["certSubjectDN"], line["ssl_client_s_dn"],
            "{}",
            case.id
        );
        assert_eq!(
            json["tlsClientAuth"]["certSerial"], line["ssl_client_serial"],
            "{}",
            case.id
        );
    }
    eprintln!(
        "nginx oracle: {} cases, {} presented, {} values agreed byte for byte, {} mismatches",
        cases.len(),
        presented.len(),
        agreed,
        mismatches.len()
    );
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert!(
        presented.len() >= cases.len() - 12,
        "most cases must reach nginx: {presented:?}"
    );
}
