//! No request leaves the machine unless the user asked for one. The shipped binary runs under
//! `strace`, which records every socket it opens and every address it connects to: the offline
//! commands open no network socket at all, and the live test connects only to the address it
//! was given. The echo server listens on loopback unless told otherwise.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::common::{Pki, certlens};

/// Runs `certlens args` in `dir` under strace; returns the exit code and the trace of
/// `socket` and `connect` calls, or `None` (with the reason printed) when strace cannot run.
fn traced(dir: &Path, args: &[&str]) -> Option<(Option<i32>, String)> {
    let trace = dir.join("strace.txt");
    let output = Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=socket,connect", "-o"])
        .arg(&trace)
        .arg(env!("CARGO_BIN_EXE_certlens"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output();
    match output {
        Ok(output) if trace.exists() => {
            let text = std::fs::read_to_string(&trace).unwrap();
            Some((output.status.code(), text))
        }
        Ok(output) => {
            crate::common::oracle_missing(
                "strace",
                &format!(
                    "it could not trace: {}",
                    String::from_utf8_lossy(&output.stderr).trim()
                ),
            );
            None
        }
        Err(error) => {
            crate::common::oracle_missing("strace", &error.to_string());
            None
        }
    }
}

/// The `connect` calls to Internet addresses in a trace (local sockets are not the network).
fn inet_connects(trace: &str) -> Vec<&str> {
    trace
        .lines()
        .filter(|l| l.contains("connect(") && (l.contains("AF_INET") || l.contains("AF_INET6")))
        .collect()
}

#[test]
fn offline_commands_open_no_network_socket() {
    let pki = Pki::new();
    pki.export_p12("id.p12", &[], "");
    for args in [
        &["fields", "id.p12", "--ca", "root.pem"][..],
        &["fields", "chain.pem", "--all"],
        &["verify", "id.p12", "--ca", "root.pem", "--format", "json"],
        &["report", "id.p12", "--ca", "root.pem", "-o", "report.html"],
    ] {
        let Some((code, trace)) = traced(pki.path(), args) else {
            return;
        };
        assert!(
            code.is_some_and(|c| c <= 1),
            "certlens {args:?} exited {code:?}"
        );
        let sockets: Vec<&str> = trace
            .lines()
            .filter(|l| l.contains("socket(AF_INET") || l.contains("connect("))
            .collect();
        assert!(
            sockets.is_empty(),
            "certlens {args:?} touched the network:\n{}",
            sockets.join("\n")
        );
    }
}

#[test]
fn the_live_test_connects_only_where_it_was_told() {
    let pki = Pki::new();
    let server = crate::live::echo_for(&pki);
    let url = format!("https://127.0.0.1:{}/", server.addr().port());
    let Some((code, trace)) = traced(
        pki.path(),
        &[
            "test",
            &url,
            "--identity",
            "identity.pem",
            "--ca",
            "root.pem",
            "--server-ca",
            "server-ca.pem",
        ],
    ) else {
        return;
    };
    assert_eq!(code, Some(0), "{trace}");
    let connects = inet_connects(&trace);
    let expected = format!("sin_port=htons({})", server.addr().port());
    assert!(
        !connects.is_empty(),
        "the test connected somewhere: {trace}"
    );
    for line in &connects {
        assert!(
            line.contains(&expected) && line.contains("inet_addr(\"127.0.0.1\")"),
            "an unexpected connection: {line}"
        );
    }
}

#[test]
fn the_echo_server_listens_on_loopback_unless_told_otherwise() {
    let pki = Pki::new();
    let help = certlens(pki.path(), &["echo-server", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout).into_owned();
    assert!(help.contains("[default: 127.0.0.1:8443]"), "{help}");
}
