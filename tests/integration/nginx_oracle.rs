//! The oracle: nginx (Debian's package, OpenSSL 3) on 127.0.0.1 with `ssl_verify_client
//! optional_no_ca` logs its `$ssl_client_*` variables as JSON for each tricky certificate,
//! presented by curl. The `nginx` profile must equal nginx's bytes exactly; where OpenSSL
//! refuses a certificate, Certlens must have warned that it would.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use certlens::der::{encode, tag};
use serde_json::Value;

use crate::common::craft::{self, Key, Spec, generalized, name, utc};
use crate::common::{certlens, openssl, temp_dir};

const NGINX: &str = "/usr/sbin/nginx";
/// A location that answers every request with `ok`.
const OK: &str = "location / { return 200 \"ok\\n\"; }";

/// nginx in its own prefix folder, one server per configuration; stopped on drop.
pub struct Nginx {
    child: Child,
    servers: Vec<(String, u16)>,
    dir: PathBuf,
}

impl Nginx {
    /// One server that asks for any client certificate and checks nothing (`optional_no_ca`).
    pub fn start(dir: &Path) -> Self {
        let lines = format!("ssl_verify_client optional_no_ca; {OK}");
        Self::start_servers(dir, "", "", &[("fields".to_owned(), lines)])
    }

    /// One server per trust store `store-<label>.pem` in `dir`, verifying with depth 3.
    pub fn start_verifying(dir: &Path, stores: &[&str]) -> Self {
        let servers: Vec<(String, String)> = stores
            .iter()
            .map(|label| {
                let lines = format!(
                    "ssl_verify_client optional; ssl_verify_depth 3; ssl_client_certificate {}/store-{label}.pem; {OK}",
                    dir.display()
                );
                ((*label).to_owned(), lines)
            })
            .collect();
        Self::start_servers(dir, "", "", &servers)
    }

    /// Starts nginx with `main` lines (e.g. `load_module`), `http` lines, and one server per
    /// `(label, lines)`; each server also logs the client-certificate variables.
    pub fn start_servers(dir: &Path, main: &str, http: &str, servers: &[(String, String)]) -> Self {
        if !dir.join("server.pem").exists() {
            openssl(
                dir,
                &[
                    "req",
                    "-x509",
                    "-newkey",
                    "ec",
                    "-pkeyopt",
                    "ec_paramgen_curve:P-256",
                    "-nodes",
                    "-keyout",
                    "server.key",
                    "-out",
                    "server.pem",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=127.0.0.1",
                ],
            );
        }
        std::fs::create_dir_all(dir.join("tmp")).unwrap();
        let d = dir.display();
        let vars = [
            "s_dn",
            "i_dn",
            "s_dn_legacy",
            "i_dn_legacy",
            "serial",
            "fingerprint",
            "v_start",
            "v_end",
            "v_remain",
            "raw_cert",
            "escaped_cert",
            "verify",
        ];
        let fields: String = vars
            .iter()
            .map(|v| format!(r#""ssl_client_{v}":"$ssl_client_{v}","#))
            .collect();
        let ports: Vec<(String, u16)> = servers
            .iter()
            .map(|(label, _)| (label.clone(), free_port()))
            .collect();
        let blocks: String = servers
            .iter()
            .zip(&ports)
            .map(|((_, lines), (_, port))| {
                format!(
                    "    server {{\n        listen 127.0.0.1:{port} ssl;\n        ssl_certificate {d}/server.pem;\n        ssl_certificate_key {d}/server.key;\n        {lines}\n        access_log {d}/fields.log fields;\n    }}\n"
                )
            })
            .collect();
        let config = format!(
            r#"{main}
daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 64; }}
http {{
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    log_format fields escape=json '{{{fields}"case":"$http_x_case","msec":"$msec"}}';
    {http}
{blocks}}}
"#
        );
        std::fs::write(dir.join("nginx.conf"), config).unwrap();
        let child = Command::new(NGINX)
            .args([
                "-p",
                &d.to_string(),
                "-c",
                &format!("{d}/nginx.conf"),
                "-e",
                &format!("{d}/error.log"),
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start nginx");
        let deadline = Instant::now() + Duration::from_secs(10);
        for (_, port) in &ports {
            while TcpStream::connect(("127.0.0.1", *port)).is_err() {
                assert!(
                    Instant::now() < deadline,
                    "nginx did not start: {}",
                    std::fs::read_to_string(dir.join("error.log")).unwrap_or_default()
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        Self {
            child,
            servers: ports,
            dir: dir.to_owned(),
        }
    }

    /// The port of the server with this label.
    pub fn port_of(&self, label: &str) -> u16 {
        self.servers
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, p)| *p)
            .expect("server label")
    }

    /// Presents `cert`/`key` with curl to the first server; true when the request completed.
    pub fn present(&self, case: &str, cert: &Path, key: &Path) -> bool {
        self.present_to(self.servers[0].1, case, cert, key).is_ok()
    }

    /// Presents `cert`/`key` with curl to the server on `port`; `Err` carries curl's message.
    pub fn present_to(&self, port: u16, case: &str, cert: &Path, key: &Path) -> Result<(), String> {
        let output = Command::new("curl")
            .args(["-sS", "-k", "--max-time", "10", "--cert"])
            .arg(cert)
            .arg("--key")
            .arg(key)
            .args([
                "-H",
                &format!("X-Case: {case}"),
                &format!("https://127.0.0.1:{port}/"),
            ])
            .stdin(Stdio::null())
            .output()
            .expect("run curl");
        if output.status.success() {
            return Ok(());
        }
        let curl = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        if !curl.contains("could not load PEM client certificate") {
            return Err(curl);
        }
        // curl's OpenSSL (security level 2) refuses to load a weak certificate at all; the
        // server's view is what matters, so present it with s_client at level 0.
        let mut child = Command::new("openssl")
            .args([
                "s_client",
                "-quiet",
                "-connect",
                &format!("127.0.0.1:{port}"),
                "-cipher",
                "DEFAULT@SECLEVEL=0",
                "-cert",
            ])
            .arg(cert)
            .arg("-key")
            .arg(key)
            .arg("-cert_chain")
            .arg(cert)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("run openssl s_client");
        use std::io::Write as _;
        let request = format!("GET / HTTP/1.0\r\nX-Case: {case}\r\n\r\n");
        let written = child
            .stdin
            .take()
            .expect("stdin")
            .write_all(request.as_bytes());
        let status = child.wait().map_err(|e| e.to_string())?;
        written.map_err(|e| e.to_string())?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("{curl}; s_client failed too"))
        }
    }

    /// The line logged for `case`; nginx writes it just after answering, so wait a little.
    pub fn logged_case(&self, case: &str) -> Option<Value> {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            if let Some(line) = self.logged().into_iter().find(|l| l["case"] == case) {
                return Some(line);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Every logged line.
    pub fn logged(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.join("fields.log"))
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("nginx logged JSON"))
            .collect()
    }
}

impl Drop for Nginx {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn nginx_available() -> bool {
    if Path::new(NGINX).exists() && Command::new("curl").arg("--version").output().is_ok() {
        return true;
    }
    crate::common::oracle_missing("nginx", &format!("{NGINX} or curl is not installed"));
    false
}

/// One oracle case: a name, serial or time encoding, in a real signed certificate.
struct Case {
    id: String,
    spec: Spec,
}

fn hex(text: &str) -> Vec<u8> {
    certlens::hex::decode(text).unwrap()
}

/// The tricky set: every DN vector of FIELDS.md §5.1 plus our own, every serial shape, every
/// time shape, and a v1 certificate.
fn cases() -> Vec<Case> {
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
