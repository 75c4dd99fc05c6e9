//! `certlens demo`: a demo client CA and identity in a temporary folder, and the echo server
//! trusting that CA, so the live test works with no account anywhere.

use std::path::Path;

use thiserror::Error;

use crate::echo_server::{EchoError, EchoServer, EchoSettings};
use crate::fields::Profile;
use crate::identity::load_bytes;
use crate::probe::tls::TlsSetupError;

use super::LocalCa;

/// Why the demo could not be set up.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum DemoError {
    /// Generating certificates failed.
    #[error(transparent)]
    Certificates(#[from] TlsSetupError),
    /// Writing the demo files failed.
    #[error("cannot write the demo files: {0}")]
    Io(#[from] std::io::Error),
    /// The server did not start.
    #[error(transparent)]
    Server(#[from] EchoError),
}

/// A running demo: its files and its echo server.
pub struct Demo {
    dir: tempfile::TempDir,
    profile: Profile,
    /// The echo server, on 127.0.0.1 and a free port.
    pub server: EchoServer,
}

impl Demo {
    /// Generates the demo CA and identity and starts the echo server, answering with
    /// `profile`'s headers.
    pub fn start(profile: Profile) -> Result<Self, DemoError> {
        let dir = private_folder("certlens-demo-")?;
        let client_ca = LocalCa::generate("Certlens Demo Client CA")?;
        let client = client_ca.issue_client("demo client")?;
        let path = |name: &str| dir.path().join(name);
        std::fs::write(
            path("client.pem"),
            format!("{}{}", client.cert_pem, client.key_pem),
        )?;
        std::fs::write(path("client-ca.pem"), &client_ca.pair.cert_pem)?;
        let client_cas = load_bytes(client_ca.pair.cert_pem.as_bytes(), None)
            .map(|file| file.certificates)
            .map_err(|e| TlsSetupError::Generate(e.to_string()))?;
        let server = EchoServer::start(EchoSettings {
            listen: "127.0.0.1:0"
                .parse()
                .map_err(|_| TlsSetupError::Generate("loopback address".into()))?,
            client_cas,
            server_identity: None,
            profile,
            protocols: crate::probe::HttpVersion::Auto,
        })?;
        if let Some(ca) = server.server_ca_pem() {
            std::fs::write(path("server-ca.pem"), ca)?;
        }
        Ok(Self {
            dir,
            profile,
            server,
        })
    }

    /// The folder holding `client.pem`, `client-ca.pem` and `server-ca.pem`.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The profile whose headers the demo's server sends.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Serves until the process ends.
    pub fn wait(self) {
        let Self { dir, server, .. } = self;
        server.wait();
        drop(dir);
    }
}

/// A new temporary folder only its owner can enter (mode 0700 on Unix), with an unpredictable
/// name: the demo's client key and the echo server's CA go there, never into a fixed `/tmp` path.
pub fn private_folder(prefix: &str) -> std::io::Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    builder.tempdir()
}

#[cfg(test)]
mod tests {
    use super::private_folder;

    /// The demo's folder holds the client key: only its owner may enter it.
    #[cfg(unix)]
    #[test]
    fn private_folders_are_for_their_owner_only() {
        use std::os::unix::fs::PermissionsExt as _;
        let folder = private_folder("certlens-test-").unwrap();
        let mode = std::fs::metadata(folder.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}
