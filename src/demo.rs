//! `certlens demo`: a demo client CA and identity in a temporary folder, and the echo server
//! trusting that CA, so the live test works with no account anywhere.

use std::path::Path;

use thiserror::Error;

use crate::echo::{EchoError, EchoServer, EchoSettings};
use crate::fields::Profile;
use crate::identity::load_bytes;
use crate::tls::{LocalCa, TlsSetupError};

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
    /// The echo server, on 127.0.0.1 and a free port.
    pub server: EchoServer,
}

impl Demo {
    /// Generates the demo CA and identity and starts the echo server.
    pub fn start() -> Result<Self, DemoError> {
        let dir = tempfile::Builder::new()
            .prefix("certlens-demo-")
            .tempdir()?;
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
            profile: Profile::Cloudflare,
        })?;
        if let Some(ca) = server.server_ca_pem() {
            std::fs::write(path("server-ca.pem"), ca)?;
        }
        Ok(Self { dir, server })
    }

    /// The folder holding `client.pem`, `client-ca.pem` and `server-ca.pem`.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The `certlens test …` command line that exercises the demo.
    pub fn test_command(&self) -> String {
        let d = self.dir.path().display();
        format!(
            "certlens test {} --identity {d}/client.pem --ca {d}/client-ca.pem --server-ca {d}/server-ca.pem",
            self.server.url()
        )
    }

    /// Serves until the process ends.
    pub fn wait(self) {
        let Self { dir, server } = self;
        server.wait();
        drop(dir);
    }
}
