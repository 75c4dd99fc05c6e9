//! Shell completions and the manual pages the packages install, made by the binary itself.

use crate::common::{certlens, temp_dir};

#[test]
fn completions_cover_every_shell_command_and_option() {
    let dir = temp_dir();
    for (shell, marker) in [
        ("bash", "complete -F _certlens"),
        ("zsh", "#compdef certlens"),
        ("fish", "complete -c certlens"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let output = certlens(dir.path(), &["completions", shell]);
        assert!(output.status.success(), "{shell}");
        let script = String::from_utf8(output.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: {script}");
        for word in [
            "fields",
            "verify",
            "echo-server",
            "follow-any-host",
            "password-env",
        ] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
    }
    let output = certlens(dir.path(), &["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn manual_pages_name_every_command() {
    let dir = temp_dir();
    let out = dir.path().join("man");
    let output = certlens(dir.path(), &["manpages", out.to_str().unwrap()]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for page in [
        "certlens",
        "certlens-gui",
        "certlens-fields",
        "certlens-verify",
        "certlens-test",
        "certlens-echo-server",
        "certlens-demo",
        "certlens-report",
        "certlens-completions",
    ] {
        let text = std::fs::read_to_string(out.join(format!("{page}.1")))
            .unwrap_or_else(|e| panic!("{page}.1: {e}"));
        assert!(
            text.starts_with(".ie") || text.contains(".TH"),
            "{page}: {text}"
        );
    }
    let test = std::fs::read_to_string(out.join("certlens-test.1")).unwrap();
    assert!(test.contains("follow\\-any\\-host"), "{test}");
    // The hidden command is for packagers and gets no page of its own.
    assert!(!out.join("certlens-manpages.1").exists());
}
