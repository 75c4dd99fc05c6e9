//! Reports, read back by real parsers (serde_json, csv, scraper, pulldown-cmark): hostile values
//! survive every format unchanged, and no report ever holds the key or the password.

use std::path::Path;

use certlens::echo_server::{EchoServer, EchoSettings};
use certlens::fields::Profile;
use serde_json::Value;

use crate::common::craft::{self, OpensslKey, Spec, name};
use crate::common::{Pki, certlens, fields_json, openssl};

const PASSWORD: &str = "s3cr3t-Pässwörd";

/// A p12 whose subject is hostile to every format, with a 36-byte serial (its value holds a
/// newline), issued by the test PKI's intermediate.
fn hostile_identity(pki: &Pki) {
    let d = pki.path();
    let key = OpensslKey::generate(d, "hostile", "ec");
    let intermediate = OpensslKey::open(pki.file("int.key"), false);
    let int_der = certlens::identity::load_file(&pki.file("int.pem"), None)
        .unwrap()
        .certificates
        .remove(0);
    let spec = Spec {
        subject: name(&[
            (
                "2.5.4.10",
                0x0C,
                "Comma, \"Quote\" | Pipe `tick` Zürich 🚀".as_bytes(),
            ),
            (
                "2.5.4.3",
                0x0C,
                b"<script>alert('x')</script> & <b>bold</b>",
            ),
        ]),
        issuer: int_der.subject_der().to_vec(),
        serial: (1..=36).collect(),
        extensions: Some(vec![craft::client_auth_eku()]),
        ..Spec::default()
    };
    let der = intermediate.issue(&spec, &key.spki, "sha256");
    std::fs::write(d.join("hostile.pem"), craft::cert_pem(&der)).unwrap();
    openssl(
        d,
        &[
            "pkcs12",
            "-export",
            "-in",
            "hostile.pem",
            "-inkey",
            "hostile.key",
            "-certfile",
            "chain.pem",
            "-passout",
            &format!("pass:{PASSWORD}"),
            "-out",
            "hostile.p12",
        ],
    );
    std::fs::write(d.join("pw"), PASSWORD).unwrap();
}

/// The report as written to a file (`-o`): exact in its format, where standard output would
/// have the terminal's escaping.
fn report(dir: &Path, format: &str, extra: &[&str]) -> String {
    let out = format!("report.{format}");
    let mut args = vec![
        "report",
        "hostile.p12",
        "--password-file",
        "pw",
        "--ca",
        "root.pem",
        "--format",
        format,
        "-o",
        &out,
    ];
    args.extend_from_slice(extra);
    let output = certlens(dir, &args);
    assert!(
        output.status.success(),
        "{format}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    std::fs::read_to_string(dir.join(&out)).unwrap()
}

#[test]
fn hostile_values_survive_every_format_and_secrets_never_appear() {
    let pki = Pki::new();
    hostile_identity(&pki);
    let d = pki.path();
    let expected = fields_json(
        d,
        &["hostile.p12", "--password-file", "pw", "--ca", "root.pem"],
    );
    let subject = expected["tlsClientAuth"]["certSubjectDN"]
        .as_str()
        .unwrap()
        .to_owned();
    let legacy = expected["tlsClientAuth"]["certSubjectDNLegacy"]
        .as_str()
        .unwrap()
        .to_owned();
    let serial = expected["tlsClientAuth"]["certSerial"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        subject.contains('|') && subject.contains('`') && subject.contains("<script"),
        "{subject}"
    );
    assert!(
        serial.contains("\\\n"),
        "a 36-byte serial carries a line break: {serial:?}"
    );

    // A live test too, so the comparison section is exercised.
    let root = certlens::identity::load_file(&pki.file("root.pem"), None)
        .unwrap()
        .certificates;
    let server = EchoServer::start(EchoSettings {
        listen: "127.0.0.1:0".parse().unwrap(),
        client_cas: root,
        server_identity: None,
        profile: Profile::Cloudflare,
        protocols: certlens::probe::HttpVersion::Auto,
    })
    .unwrap();
    std::fs::write(d.join("server-ca.pem"), server.server_ca_pem().unwrap()).unwrap();
    let url = server.url();
    let live = ["--url", url.as_str(), "--server-ca", "server-ca.pem"];

    let mut outputs = Vec::new();
    // JSON.
    let text = report(d, "json", &live);
    let json: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["tlsClientAuth"]["certSubjectDN"], subject.as_str());
    assert_eq!(json["tlsClientAuth"]["certSerial"], serial.as_str());
    assert_eq!(json["tlsClientAuth"]["certRFC9440TooLarge"], false);
    assert_eq!(json["verification"]["verdict"], "SUCCESS");
    assert_eq!(json["liveTest"]["summary"]["match"], 9);
    outputs.push(text);

    // CSV.
    let text = report(d, "csv", &live);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let value = |section: &str, property: &str| {
        rows.iter()
            .find(|r| &r[0] == section && &r[1] == property)
            .map(|r| r[3].to_owned())
    };
    assert_eq!(
        value("tlsClientAuth", "certSubjectDN").as_deref(),
        Some(subject.as_str())
    );
    assert_eq!(
        value("tlsClientAuth", "certSubjectDNLegacy").as_deref(),
        Some(legacy.as_str())
    );
    assert_eq!(
        value("tlsClientAuth", "certSerial").as_deref(),
        Some(serial.as_str())
    );
    assert_eq!(value("verification", "verdict").as_deref(), Some("SUCCESS"));
    assert!(rows.iter().all(|r| r.len() == 4));
    outputs.push(text);

    // HTML.
    let text = report(d, "html", &live);
    let document = scraper::Html::parse_document(&text);
    assert!(
        document.errors.is_empty() || !text.contains("<script>"),
        "no raw markup from values"
    );
    let rows_selector =
        scraper::Selector::parse("table[data-section=\"tlsClientAuth\"] tbody tr").unwrap();
    let cell = scraper::Selector::parse("td").unwrap();
    let html_value = |property: &str| {
        document.select(&rows_selector).find_map(|row| {
            let cells: Vec<String> = row.select(&cell).map(|c| c.text().collect()).collect();
            (cells[0] == property).then(|| cells[2].clone())
        })
    };
    assert_eq!(
        html_value("certSubjectDN").as_deref(),
        Some(subject.as_str())
    );
    assert_eq!(html_value("certSerial").as_deref(), Some(serial.as_str()));
    let scripts = scraper::Selector::parse("script").unwrap();
    assert_eq!(
        document.select(&scripts).count(),
        0,
        "a DN's <script> stays text"
    );
    assert!(
        !text.contains("http://") && !text.contains("https://cdn"),
        "self-contained: no external assets"
    );
    outputs.push(text);

    // Markdown, through a CommonMark + GFM tables parser.
    let text = report(d, "md", &live);
    let cells = markdown_table_cells(&text);
    let md_value = |property: &str| {
        cells
            .iter()
            .find(|row| row.first().map(String::as_str) == Some(property))
            .map(|row| row[2].clone())
    };
    assert_eq!(md_value("certSubjectDN").as_deref(), Some(subject.as_str()));
    assert_eq!(
        md_value("certSubjectDNLegacy").as_deref(),
        Some(legacy.as_str())
    );
    assert_eq!(
        md_value("certSerial").as_deref(),
        Some(serial.as_str()),
        "line breaks become <br> between code spans"
    );
    outputs.push(text);

    for text in &outputs {
        assert!(!text.contains("PRIVATE KEY"), "a report holds key material");
        assert!(!text.contains(PASSWORD), "a report holds the password");
    }

    // -o picks the format from the extension.
    let output = certlens(
        d,
        &[
            "report",
            "hostile.p12",
            "--password-file",
            "pw",
            "-o",
            "out.html",
        ],
    );
    assert!(output.status.success());
    assert!(
        std::fs::read_to_string(d.join("out.html"))
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
}

/// Every table row of a Markdown document, as cell texts (code spans' text, `<br>` as "\n").
fn markdown_table_cells(markdown: &str) -> Vec<Vec<String>> {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut cell = String::new();
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::TableRow) | Event::Start(Tag::TableHead) => row.clear(),
            Event::Start(Tag::TableCell) => cell.clear(),
            Event::End(TagEnd::TableCell) => row.push(cell.clone()),
            Event::End(TagEnd::TableRow) | Event::End(TagEnd::TableHead) => rows.push(row.clone()),
            Event::Code(text) | Event::Text(text) => cell.push_str(&text),
            Event::InlineHtml(html) if html.as_ref() == "<br>" => cell.push('\n'),
            _ => {}
        }
    }
    rows
}
