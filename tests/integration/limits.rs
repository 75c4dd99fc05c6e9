//! Every bound in `src/limits.rs`, hit on purpose through the `certlens` binary or the library:
//! each gives its clear error (naming the number it refused) instead of a long wait, a memory
//! blow-up or a panic.

use std::io::{Read as _, Write as _};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use certlens::certificate::Certificate;
use certlens::fields::Profile;
use certlens::limits::{MAX_CHAIN_LENGTH, MAX_OBJECTS};
use certlens::verify::{Options, verify};

use crate::common::{Pki, certlens, expect_input_error, local_server};

#[test]
fn iteration_bombs_are_refused_naming_their_count() {
    let pki = Pki::new();
    std::fs::write(pki.file("pw"), "right").unwrap();
    // A PKCS#12 file asking for two million rounds for its MAC and each encrypted part.
    pki.export_p12("bomb.p12", &["-iter", "2000000"], "right");
    let err = expect_input_error(pki.path(), &["fields", "bomb.p12", "--password-file", "pw"]);
    assert!(
        err.contains("asks for 2,000,000 key-derivation iterations")
            && err.contains("stops at 1,000,000"),
        "{err}"
    );
    // The same through the window's code path (the library), with no password yet: the cost
    // is refused before the password is even needed.
    let bytes = std::fs::read(pki.file("bomb.p12")).unwrap();
    let error = certlens::identity::load_bytes(&bytes, None).unwrap_err();
    assert!(matches!(
        error,
        certlens::identity::LoadError::TooManyIterations {
            count: 2_000_000,
            ..
        }
    ));

    // An encrypted PEM key asking for five million PBKDF2 rounds.
    pki.encrypt_key(
        "bomb.key",
        &["-v2", "aes-256-cbc", "-iter", "5000000"],
        "right",
    );
    with_leaf(&pki, "bomb.key", "bomb-id.pem");
    let err = expect_input_error(
        pki.path(),
        &["fields", "bomb-id.pem", "--password-file", "pw"],
    );
    assert!(
        err.contains("the encrypted private key asks for 5,000,000"),
        "{err}"
    );
}

/// Writes the leaf certificate followed by `key` to `out`: one PEM identity file.
fn with_leaf(pki: &Pki, key: &str, out: &str) {
    let text = std::fs::read_to_string(pki.file("leaf.pem")).unwrap()
        + &std::fs::read_to_string(pki.file(key)).unwrap();
    std::fs::write(pki.file(out), text).unwrap();
}

#[test]
fn a_file_at_the_iteration_limit_still_opens() {
    let pki = Pki::new();
    std::fs::write(pki.file("pw"), "right").unwrap();
    pki.export_p12("heavy.p12", &["-iter", "1000000"], "right");
    let output = certlens(
        pki.path(),
        &[
            "fields",
            "heavy.p12",
            "--password-file",
            "pw",
            "--format",
            "json",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn scrypt_bombs_are_refused() {
    let pki = Pki::new();
    std::fs::write(pki.file("pw"), "right").unwrap();
    // Cheap to make (N = 1024), but a parallelism of 100 repeats the derivation 100 times.
    pki.encrypt_key(
        "scrypt.key",
        &[
            "-scrypt",
            "-scrypt_N",
            "1024",
            "-scrypt_r",
            "8",
            "-scrypt_p",
            "100",
        ],
        "right",
    );
    with_leaf(&pki, "scrypt.key", "scrypt-id.pem");
    let err = expect_input_error(
        pki.path(),
        &["fields", "scrypt-id.pem", "--password-file", "pw"],
    );
    assert!(
        err.contains("parallelism 100") && err.contains("parallelism 16"),
        "{err}"
    );
}

/// An scrypt-protected key each within bounds (N = 2¹⁴, r = 8, p = 4: 524,288 iterations'
/// worth), repeated: the whole file's total is refused before the first derivation runs.
#[test]
fn repeated_scrypt_keys_are_refused_at_once_naming_the_total() {
    use certlens::certificate::der::{encode, tag};
    let pki = Pki::new();
    std::fs::write(pki.file("pw"), "right").unwrap();
    let scrypt = [
        "-scrypt",
        "-scrypt_N",
        "16384",
        "-scrypt_r",
        "8",
        "-scrypt_p",
        "4",
    ];
    pki.encrypt_key("one.key", &scrypt, "right");
    let key = std::fs::read_to_string(pki.file("one.key")).unwrap();
    let leaf = std::fs::read_to_string(pki.file("leaf.pem")).unwrap();
    std::fs::write(pki.file("bomb.pem"), leaf + &key.repeat(300)).unwrap();
    let refused_quickly = |file: &str| {
        let started = std::time::Instant::now();
        let err = expect_input_error(pki.path(), &["fields", file, "--password-file", "pw"]);
        (started.elapsed(), err)
    };
    let (took, err) = refused_quickly("bomb.pem");
    assert!(
        err.contains("157,286,400") && err.contains("added together") && err.contains("scrypt"),
        "{err}"
    );
    assert!(took < Duration::from_secs(1), "{took:?}");

    // The same key in 300 shrouded-key bags of a PKCS#12 file.
    let mut args: Vec<&str> = vec!["pkcs8", "-topk8", "-in", "leaf.key", "-outform", "DER"];
    args.extend_from_slice(&["-out", "one.der", "-passout", "pass:right"]);
    args.extend_from_slice(&scrypt);
    crate::common::openssl(pki.path(), &args);
    let shrouded = std::fs::read(pki.file("one.der")).unwrap();
    let oid = |dotted: &str| crate::common::craft::oid(dotted);
    let bag = encode(
        tag::SEQUENCE,
        &[oid("1.2.840.113549.1.12.10.1.2"), encode(0xA0, &shrouded)].concat(),
    );
    let data = |content: Vec<u8>| {
        encode(
            tag::SEQUENCE,
            &[
                oid("1.2.840.113549.1.7.1"),
                encode(0xA0, &encode(tag::OCTET_STRING, &content)),
            ]
            .concat(),
        )
    };
    let safe = data(encode(tag::SEQUENCE, &bag.repeat(300)));
    let pfx = encode(
        tag::SEQUENCE,
        &[
            encode(tag::INTEGER, &[3]),
            data(encode(tag::SEQUENCE, &safe)),
        ]
        .concat(),
    );
    std::fs::write(pki.file("bomb.p12"), &pfx).unwrap();
    let (took, err) = refused_quickly("bomb.p12");
    assert!(
        err.contains("157,286,400") && err.contains("added together"),
        "{err}"
    );
    assert!(took < Duration::from_secs(1), "{took:?}");

    // Encrypted safes count as objects: more than the limit is refused by count.
    let encrypted_safe = encode(
        tag::SEQUENCE,
        &[
            oid("1.2.840.113549.1.7.6"),
            encode(0xA0, &encode(tag::SEQUENCE, &encode(tag::INTEGER, &[0]))),
        ]
        .concat(),
    );
    let pfx = encode(
        tag::SEQUENCE,
        &[
            encode(tag::INTEGER, &[3]),
            data(encode(
                tag::SEQUENCE,
                &encrypted_safe.repeat(MAX_OBJECTS + 1),
            )),
        ]
        .concat(),
    );
    std::fs::write(pki.file("safes.p12"), &pfx).unwrap();
    let (_, err) = refused_quickly("safes.p12");
    assert!(
        err.contains("more than 10,000 PKCS#12 bags and safes"),
        "{err}"
    );

    // One such key alone opens.
    with_leaf(&pki, "one.key", "one-id.pem");
    let output = certlens(
        pki.path(),
        &[
            "fields",
            "one-id.pem",
            "--password-file",
            "pw",
            "--format",
            "json",
        ],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn files_with_too_many_objects_are_refused() {
    let pki = Pki::new();
    let one = std::fs::read_to_string(pki.file("leaf.pem")).unwrap();
    std::fs::write(pki.file("many.pem"), one.repeat(MAX_OBJECTS + 1)).unwrap();
    let err = expect_input_error(pki.path(), &["fields", "many.pem"]);
    assert!(err.contains("more than 10,000 PEM blocks"), "{err}");
    // At the limit the bundle loads (duplicates folded into one).
    std::fs::write(pki.file("ok.pem"), one.repeat(MAX_OBJECTS)).unwrap();
    let output = certlens(pki.path(), &["fields", "ok.pem", "--format", "json"]);
    assert!(output.status.success());
}

#[test]
fn oversized_files_are_refused_before_reading() {
    let pki = Pki::new();
    let file = std::fs::File::create(pki.file("huge.p12")).unwrap();
    file.set_len(17 * 1024 * 1024).unwrap();
    let err = expect_input_error(pki.path(), &["fields", "huge.p12"]);
    assert!(
        err.contains("17,825,792 bytes") && err.contains("at most 16,777,216 bytes"),
        "{err}"
    );
}

/// A chain of `cas` CAs under one root, and a leaf under the last: (root, intermediates
/// leaf-side first, leaf).
fn long_chain(cas: usize) -> (Certificate, Vec<Certificate>, Certificate) {
    let to_cert = |der: &[u8]| Certificate::from_der(der).unwrap();
    let ca_params = |name: String| {
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.key_usages = vec![rcgen::KeyUsagePurpose::KeyCertSign];
        params.not_before = rcgen::date_time_ymd(2024, 1, 1);
        params.not_after = rcgen::date_time_ymd(2036, 1, 1);
        params
    };
    let root_key = rcgen::KeyPair::generate().unwrap();
    let root_params = ca_params("Root".into());
    let root = to_cert(root_params.self_signed(&root_key).unwrap().der());
    let mut issuer = rcgen::Issuer::new(root_params, root_key);
    let mut intermediates = Vec::new();
    for i in 0..cas {
        let key = rcgen::KeyPair::generate().unwrap();
        let params = ca_params(format!("CA {i}"));
        intermediates.push(to_cert(params.signed_by(&key, &issuer).unwrap().der()));
        issuer = rcgen::Issuer::new(params, key);
    }
    let key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "leaf");
    let leaf = to_cert(params.signed_by(&key, &issuer).unwrap().der());
    intermediates.reverse();
    (root, intermediates, leaf)
}

#[test]
fn chains_stop_at_the_library_limit() {
    let (root, intermediates, leaf) = long_chain(MAX_CHAIN_LENGTH + 5);
    let options = Options {
        depth: 10_000,
        ..Options::default()
    };
    for profile in [Profile::Cloudflare, Profile::Nginx] {
        let verification = verify(
            &leaf,
            &intermediates,
            std::slice::from_ref(&root),
            profile.library(),
            &options,
        );
        assert_eq!(verification.verdict, "FAILED:certificate chain too long");
        assert!(verification.path.len() <= MAX_CHAIN_LENGTH);
    }
    // A chain within the limit verifies.
    let (root, intermediates, leaf) = long_chain(10);
    let verification = verify(
        &leaf,
        &intermediates,
        &[root],
        Profile::Cloudflare.library(),
        &options,
    );
    assert_eq!(verification.verdict, "SUCCESS", "{:?}", verification.checks);

    // Ordering the chain of a file that holds a very long one stays bounded too.
    let pem: String = std::iter::once(&leaf)
        .chain(intermediates.iter())
        .map(Certificate::to_pem)
        .collect();
    let file = certlens::identity::load_bytes(pem.as_bytes(), None).unwrap();
    assert_eq!(file.identity().unwrap().chain.len(), intermediates.len());
}

/// A TLS server on loopback that answers every connection with `head` at once and then `body`,
/// `chunk` bytes at a time with `pause` between writes. Its CA is written to `dir/raw-ca.pem`.
fn raw_server(
    dir: &std::path::Path,
    head: Vec<u8>,
    body: Vec<u8>,
    chunk: usize,
    pause: Duration,
) -> String {
    let identity = local_server(dir, "Raw Server CA", "raw-ca.pem");
    let config = Arc::new(
        rustls::ServerConfig::builder_with_provider(certlens::probe::tls::provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                certlens::probe::tls::certificate_ders(&[&identity.leaf]),
                certlens::probe::tls::private_key_der(identity.key.as_ref().unwrap()).clone_key(),
            )
            .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "https://localhost:{}/",
        listener.local_addr().unwrap().port()
    );
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let config = config.clone();
            let (head, body) = (head.clone(), body.clone());
            std::thread::spawn(move || {
                let connection = rustls::ServerConnection::new(config).unwrap();
                let mut tls = rustls::StreamOwned::new(connection, stream);
                let mut request = [0u8; 4096];
                if tls.read(&mut request).is_err() {
                    return;
                }
                if tls.write_all(&head).and_then(|()| tls.flush()).is_err() {
                    return;
                }
                for piece in body.chunks(chunk) {
                    if tls.write_all(piece).and_then(|()| tls.flush()).is_err() {
                        return;
                    }
                    std::thread::sleep(pause);
                }
            });
        }
    });
    url
}

/// `certlens test URL` with the PKI's `id.p12` against a [`raw_server`]; its error message.
fn test_raw_server(pki: &Pki, url: &str, extra: &[&str]) -> String {
    let mut args = vec![
        "test",
        url,
        "--identity",
        "id.p12",
        "--server-ca",
        "raw-ca.pem",
    ];
    args.extend_from_slice(extra);
    expect_input_error(pki.path(), &args)
}

#[test]
fn oversized_response_heads_are_refused() {
    let pki = Pki::new();
    pki.export_p12("id.p12", &[], "");
    let mut response = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n".to_vec();
    for i in 0..500 {
        response.extend_from_slice(format!("x-filler-{i}: {}\r\n", "a".repeat(40)).as_bytes());
    }
    response.extend_from_slice(b"content-length: 2\r\n\r\n");
    let url = raw_server(pki.path(), response, b"{}".to_vec(), 2, Duration::ZERO);
    let err = test_raw_server(&pki, &url, &[]);
    assert!(
        err.contains("headers are too large") && err.contains("100 header lines"),
        "{err}"
    );
}

#[test]
fn a_trickling_body_is_cut_off_at_the_deadline() {
    let pki = Pki::new();
    pki.export_p12("id.p12", &[], "");
    // A body promised at 1,000 bytes, sent one byte every 200 ms: each read is quick, the
    // whole would take 200 s. With --timeout 1 the body deadline is 2 s.
    let head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n"
        .to_vec();
    let url = raw_server(
        pki.path(),
        head,
        vec![b' '; 1000],
        1,
        Duration::from_millis(200),
    );
    let err = test_raw_server(&pki, &url, &["--timeout", "1"]);
    assert!(
        err.contains("arrived too slowly") && err.contains("2 s"),
        "{err}"
    );
}

#[test]
fn pkcs7_bundles_with_too_many_certificates_are_refused() {
    use certlens::certificate::der::{encode, tag};
    let pki = Pki::new();
    let leaf = certlens::identity::load_file(&pki.file("leaf.pem"), None)
        .unwrap()
        .certificates
        .remove(0);
    // SignedData { version, digestAlgorithms, encapContentInfo, [0] certificates } in a ContentInfo.
    let certificates = encode(0xA0, &leaf.der().repeat(MAX_OBJECTS + 1));
    let signed_data = encode(
        tag::SEQUENCE,
        &[
            encode(tag::INTEGER, &[1]),
            encode(tag::SET, &[]),
            encode(
                tag::SEQUENCE,
                &encode(
                    tag::OID,
                    &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01],
                ),
            ),
            certificates,
            encode(tag::SET, &[]),
        ]
        .concat(),
    );
    let content_info = encode(
        tag::SEQUENCE,
        &[
            encode(
                tag::OID,
                &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02],
            ),
            encode(0xA0, &signed_data),
        ]
        .concat(),
    );
    std::fs::write(pki.file("many.p7b"), content_info).unwrap();
    let err = expect_input_error(pki.path(), &["fields", "many.p7b"]);
    assert!(err.contains("more than 10,000 certificates"), "{err}");
}

/// A TLS connection to the local echo server, trusting its generated CA.
fn echo_connection(
    server: &certlens::echo_server::EchoServer,
) -> rustls::StreamOwned<rustls::ClientConnection, std::net::TcpStream> {
    let mut roots = rustls::RootCertStore::empty();
    let ca = certlens::identity::load_bytes(server.server_ca_pem().unwrap().as_bytes(), None)
        .unwrap()
        .certificates
        .remove(0);
    roots
        .add(rustls_pki_types::CertificateDer::from(ca.der().to_vec()))
        .unwrap();
    let config = rustls::ClientConfig::builder_with_provider(certlens::probe::tls::provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let name = rustls_pki_types::ServerName::try_from("localhost").unwrap();
    let connection = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
    let tcp = std::net::TcpStream::connect(server.addr()).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    rustls::StreamOwned::new(connection, tcp)
}

fn local_echo() -> certlens::echo_server::EchoServer {
    certlens::echo_server::EchoServer::start(certlens::echo_server::EchoSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        client_cas: Vec::new(),
        server_identity: None,
        profile: Profile::Cloudflare,
        protocols: certlens::probe::HttpVersion::Auto,
    })
    .unwrap()
}

#[test]
fn the_echo_server_refuses_oversized_requests() {
    let server = local_echo();
    let mut tls = echo_connection(&server);
    let mut request = String::from("GET / HTTP/1.1\r\nhost: localhost\r\n");
    for i in 0..200 {
        request.push_str(&format!("x-filler-{i}: a\r\n"));
    }
    request.push_str("\r\n");
    tls.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = tls.read_to_string(&mut answer);
    assert!(
        answer.starts_with("HTTP/1.1 431"),
        "the echo server answers 431 Request Header Fields Too Large: {answer:?}"
    );
}

#[test]
fn the_echo_server_drops_a_client_that_never_finishes_its_request() {
    let server = local_echo();
    let mut tls = echo_connection(&server);
    // Half a request line, then silence.
    tls.write_all(b"GET / HTTP/1.1\r\nhost: loc").unwrap();
    let started = std::time::Instant::now();
    let mut answer = Vec::new();
    let _ = tls.read_to_end(&mut answer);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(5) && waited < Duration::from_secs(25),
        "closed after {waited:?}"
    );
    // And it still serves the next client.
    let mut next = echo_connection(&server);
    next.write_all(b"GET / HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    let _ = next.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
}

/// More connections than the cap: the one past it is closed at once, and the server serves
/// again once the others go.
#[test]
fn the_echo_server_caps_its_connections() {
    use certlens::limits::ECHO_MAX_CONNECTIONS;
    let server = local_echo();
    let held: Vec<std::net::TcpStream> = (0..ECHO_MAX_CONNECTIONS)
        .map(|_| std::net::TcpStream::connect(server.addr()).unwrap())
        .collect();
    // Give the server time to accept them all.
    std::thread::sleep(Duration::from_millis(300));
    let mut extra = std::net::TcpStream::connect(server.addr()).unwrap();
    extra
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let started = std::time::Instant::now();
    let mut byte = [0u8; 1];
    let read = extra.read(&mut byte);
    assert!(
        matches!(read, Ok(0))
            || read.is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
        "the connection past the cap is closed"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    drop(held);
    std::thread::sleep(Duration::from_millis(300));
    let mut tls = echo_connection(&server);
    tls.write_all(b"GET / HTTP/1.1\r\nhost: localhost\r\nconnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    let _ = tls.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
