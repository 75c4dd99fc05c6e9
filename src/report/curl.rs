//! The live test as a `curl` command a person can run or hand to a colleague: the same client
//! certificate, server CA, proxy, addresses, method, body and headers. No password is ever
//! written into it: the command reads it from an environment variable it names.

use std::path::PathBuf;

use super::escape::shell_word;
use crate::identity::FileFormat;

use crate::probe::{HttpRequest, HttpVersion, ServerTrust};
use crate::probe::{MAX_REDIRECTS, ResolveEntry};
use crate::probe::{ProxySetting, split_userinfo};

/// The files behind the request, which the request itself holds only as loaded values.
#[derive(Debug, Clone, Default)]
pub struct CurlIdentity {
    /// The identity file (`.p12`/`.pfx`, PEM with certificate and key, a Java keystore) or a
    /// token's `pkcs11:` URI.
    pub path: PathBuf,
    /// What it is: PKCS#12 is `--cert-type P12`, a token's URI goes to OpenSSL's pkcs11
    /// engine, a Java keystore is converted to PKCS#12 first (curl reads none).
    pub format: FileFormat,
    /// The environment variable the command reads the password from, when the file has one.
    pub password_variable: Option<String>,
    /// The `--server-ca` files (curl takes one `--cacert`; the first is used).
    pub server_ca: Vec<PathBuf>,
    /// The file the body came from (`--data-file`), sent with `--data-binary @FILE`.
    pub data_file: Option<PathBuf>,
    /// The environment variable holding the proxy password, when the proxy URL has one.
    pub proxy_password_variable: Option<String>,
}

/// The environment variable the printed command reads the proxy password from.
pub const PROXY_PASSWORD_VARIABLE: &str = "CERTLENS_PROXY_PASSWORD";

/// The `curl` command that sends the same request, one option per line.
pub fn curl_command(request: &HttpRequest, files: &CurlIdentity) -> String {
    let mut words: Vec<String> = vec!["curl".into()];
    let mut option = |flag: &str, value: Option<String>| {
        words.push(match value {
            Some(value) => format!("{flag} {value}"),
            None => flag.to_owned(),
        });
    };
    let mut prelude = String::new();
    let mut path = files.path.display().to_string();
    if matches!(files.format, FileFormat::Jks | FileFormat::Jceks) {
        // curl reads no Java keystore: keytool makes the PKCS#12 it reads.
        let converted = format!("{path}.p12");
        prelude = format!(
            "# curl cannot read a Java keystore: convert it to PKCS#12 first (keytool asks for the passwords)\nkeytool -importkeystore -srckeystore {} -destkeystore {} -deststoretype pkcs12\n",
            shell_word(&path),
            shell_word(&converted)
        );
        path = converted;
    }
    // curl reads `--cert FILE:PASSWORD`, where `\\` is a backslash and `\:` a colon of the name.
    let escaped = path.replace('\\', "\\\\").replace(':', "\\:");
    match files.format {
        FileFormat::Pkcs12 | FileFormat::Jks | FileFormat::Jceks => {
            option("--cert-type", Some("P12".into()));
            option(
                "--cert",
                Some(match &files.password_variable {
                    Some(var) => with_variable(&escaped, var),
                    None => shell_word(&escaped),
                }),
            );
        }
        FileFormat::Pkcs11 => {
            // curl hands a pkcs11: URI to OpenSSL's pkcs11 engine, which asks for the PIN.
            option("--cert", Some(shell_word(&path)));
            option("--key", Some(shell_word(&path)));
        }
        _ => {
            option("--cert", Some(shell_word(&escaped)));
            option("--key", Some(shell_word(&path)));
            if let Some(var) = &files.password_variable {
                option("--pass", Some(format!("\"${var}\"")));
            }
        }
    }
    match &request.server_trust {
        ServerTrust::Insecure => option("--insecure", None),
        ServerTrust::Verify(_) => {
            if let Some(ca) = files.server_ca.first() {
                option("--cacert", Some(shell_word(&ca.display().to_string())));
            }
        }
    }
    match &request.proxy {
        // curl reads HTTPS_PROXY, ALL_PROXY and NO_PROXY as reqwest does.
        ProxySetting::Environment => {}
        ProxySetting::Direct => option("--noproxy", Some(shell_word("*"))),
        ProxySetting::Url(url) => {
            let (shown, user) = split_credentials(url);
            option("--proxy", Some(shell_word(&shown)));
            if let Some(user) = user {
                let var = files
                    .proxy_password_variable
                    .as_deref()
                    .unwrap_or(PROXY_PASSWORD_VARIABLE);
                option("--proxy-user", Some(with_variable(&user, var)));
            }
        }
    }
    for entry in &request.resolve {
        option("--resolve", Some(shell_word(&ResolveEntry::to_curl(entry))));
    }
    match request.http_version {
        HttpVersion::Auto => {}
        HttpVersion::Http1 => option("--http1.1", None),
        HttpVersion::Http2 => option("--http2", None),
    }
    if request.follow_redirects {
        option("--location", None);
        option("--max-redirs", Some(MAX_REDIRECTS.to_string()));
    }
    let method = request.method.trim().to_ascii_uppercase();
    let implied = if request.body.is_some() {
        "POST"
    } else {
        "GET"
    };
    if method == "HEAD" {
        option("--head", None);
    } else if method != implied {
        option("--request", Some(shell_word(&method)));
    }
    match (&files.data_file, &request.body) {
        // Only a body read from a file is sent as `@FILE`.
        (Some(file), Some(_)) => option(
            "--data-binary",
            Some(shell_word(&format!("@{}", file.display()))),
        ),
        // `--data-raw` sends text that starts with `@` as it is, where `--data-binary` would
        // read the file it names.
        (None, Some(body)) => option(
            "--data-raw",
            Some(shell_word(&String::from_utf8_lossy(body))),
        ),
        _ => {}
    }
    option("--header", Some(shell_word("Accept: application/json")));
    for (name, value) in &request.headers {
        option("--header", Some(shell_word(&format!("{name}: {value}"))));
    }
    words.push(shell_word(&request.url));
    prelude + &words.join(" \\\n  ")
}

/// `text` followed by `:$VAR`, quoted so the shell expands only the variable.
fn with_variable(text: &str, var: &str) -> String {
    let safe_in_double_quotes = !text.contains(['$', '`', '"', '\\', '!']);
    if safe_in_double_quotes {
        format!("\"{text}:${var}\"")
    } else {
        format!("{}\":${var}\"", shell_word(text))
    }
}

/// A proxy URL without its password, and the user name when it had credentials.
fn split_credentials(url: &str) -> (String, Option<String>) {
    match split_userinfo(url) {
        (scheme, Some(userinfo), rest) => {
            let user = userinfo.split_once(':').map_or(userinfo, |(user, _)| user);
            (format!("{scheme}{rest}"), Some(user.to_owned()))
        }
        (_, None, _) => (url.to_owned(), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_password_is_written_and_every_setting_is() {
        let mut request = HttpRequest::get("https://edge.example.com/echo?a=1");
        request.proxy = ProxySetting::Url("http://alice:s3cret@127.0.0.1:3128".into());
        request.resolve = vec![ResolveEntry::parse("edge.example.com:443:127.0.0.1").unwrap()];
        request.http_version = HttpVersion::Http1;
        request.method = "PUT".into();
        request.body = Some(b"{\"x\":1}".to_vec());
        request.headers = vec![("X-Trace".into(), "it's".into())];
        let files = CurlIdentity {
            path: "/home/me/my id.p12".into(),
            format: FileFormat::Pkcs12,
            password_variable: Some("CERTLENS_PASSWORD".into()),
            server_ca: vec!["/etc/edge-ca.pem".into()],
            ..CurlIdentity::default()
        };
        let command = curl_command(&request, &files);
        assert!(!command.contains("s3cret"), "{command}");
        // Nor does the request's Debug form print the proxy password or a credential header.
        request
            .headers
            .push(("Authorization".into(), "Bearer t0ken".into()));
        let debug = format!("{request:?}");
        assert!(
            !debug.contains("s3cret") && !debug.contains("t0ken"),
            "{debug}"
        );
        for expected in [
            "--cert-type P12",
            "--cert \"/home/me/my id.p12:$CERTLENS_PASSWORD\"",
            "--cacert /etc/edge-ca.pem",
            "--proxy http://127.0.0.1:3128",
            "--proxy-user \"alice:$CERTLENS_PROXY_PASSWORD\"",
            "--resolve edge.example.com:443:127.0.0.1",
            "--http1.1",
            "--request PUT",
            "--data-raw '{\"x\":1}'",
            "--header 'X-Trace: it'\\''s'",
            "'https://edge.example.com/echo?a=1'",
        ] {
            assert!(command.contains(expected), "{expected} in\n{command}");
        }
    }

    #[test]
    fn pem_identities_name_the_key_and_plain_files_need_no_password() {
        let request = HttpRequest::get("https://edge.example.com/");
        let files = CurlIdentity {
            path: "/tmp/client.pem".into(),
            ..CurlIdentity::default()
        };
        let command = curl_command(&request, &files);
        assert!(command.contains("--cert /tmp/client.pem"), "{command}");
        assert!(command.contains("--key /tmp/client.pem"), "{command}");
        assert!(!command.contains("--pass"), "{command}");
        assert!(!command.contains("--request"), "{command}");
    }

    #[test]
    fn a_body_that_starts_with_an_at_sign_is_sent_as_data() {
        let mut request = HttpRequest::get("https://edge.example.com/");
        request.body = Some(b"@/etc/passwd".to_vec());
        let command = curl_command(&request, &CurlIdentity::default());
        assert!(command.contains("--data-raw @/etc/passwd"), "{command}");
        assert!(!command.contains("--data-binary"), "{command}");
        // Only a body from --data-file is read from a file by curl.
        let files = CurlIdentity {
            data_file: Some("/tmp/body.json".into()),
            ..CurlIdentity::default()
        };
        let command = curl_command(&request, &files);
        assert!(
            command.contains("--data-binary @/tmp/body.json"),
            "{command}"
        );
    }

    #[test]
    fn backslashes_and_colons_in_paths_survive_curls_cert_parser() {
        let request = HttpRequest::get("https://edge.example.com/");
        let files = CurlIdentity {
            path: r"C:\certs\a:b.pem".into(),
            ..CurlIdentity::default()
        };
        let command = curl_command(&request, &files);
        assert!(
            command.contains(r"--cert 'C\:\\certs\\a\:b.pem'"),
            "{command}"
        );
        // --key is a plain file name.
        assert!(command.contains(r"--key 'C:\certs\a:b.pem'"), "{command}");
    }
}
