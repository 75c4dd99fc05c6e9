//! The rustls hooks that keep what a handshake showed, since reqwest hides the connection:
//! the client-certificate resolver sees the server's CertificateRequest, the server-certificate
//! verifier sees the server's chain and which TLS version signed the handshake, and the session
//! store sees the cipher suite and key exchange group of a TLS 1.3 session.
//!
//! rustls asks the resolver (on CertificateRequest) before it asks the verifier (on the
//! server's CertificateVerify or ServerHelloDone) in both TLS 1.2 and 1.3, so a request is
//! filed under the handshake whose verification follows it. Through an `https://` proxy two
//! handshakes are recorded, each under its own server name.

use std::sync::{Arc, Mutex};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{ClientSessionMemoryCache, ClientSessionStore, ResolvesClientCert};
use rustls::sign::CertifiedKey;
use rustls::{DigitallySignedStruct, NamedGroup, SignatureScheme};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};

/// What the server's CertificateRequest said, and what we did about it.
#[derive(Debug, Clone, Default)]
pub struct CertificateRequest {
    /// The CA names listed (DER).
    pub ca_names: Vec<Vec<u8>>,
    /// The signature schemes allowed.
    pub schemes: Vec<SignatureScheme>,
    /// True when our key can sign with one of them, so our certificate was sent.
    pub sent: bool,
}

/// One handshake.
#[derive(Debug, Clone, Default)]
pub struct Handshake {
    /// The name the handshake was for (SNI).
    pub server_name: String,
    /// The server's chain, as sent.
    pub chain: Vec<Vec<u8>>,
    /// The CertificateRequest, when the server asked for a client certificate.
    pub request: Option<CertificateRequest>,
    /// `TLSv1.3` or `TLSv1.2`, from the handshake signature the server made.
    pub version: Option<&'static str>,
    /// The TLS 1.3 cipher suite, from the session the server offered.
    pub cipher: Option<String>,
    /// The key exchange group.
    pub key_exchange: Option<String>,
}

/// Everything recorded during one live test.
#[derive(Debug, Default)]
pub struct Evidence {
    pending: Option<CertificateRequest>,
    handshakes: Vec<Handshake>,
}

impl Evidence {
    /// The last handshake with `server_name` (the one that carried the final answer), else
    /// the last of all.
    pub fn handshake_for(&self, server_name: &str) -> Option<&Handshake> {
        self.handshakes
            .iter()
            .rev()
            .find(|h| h.server_name.eq_ignore_ascii_case(server_name))
            .or(self.handshakes.last())
    }

    fn last_for(&mut self, server_name: &str) -> Option<&mut Handshake> {
        self.handshakes
            .iter_mut()
            .rev()
            .find(|h| h.server_name.eq_ignore_ascii_case(server_name))
    }
}

/// Shared between the hooks of one client.
pub type Recorder = Arc<Mutex<Evidence>>;

fn with<T>(recorder: &Recorder, f: impl FnOnce(&mut Evidence) -> T) -> Option<T> {
    recorder.lock().ok().map(|mut evidence| f(&mut evidence))
}

/// Hands out the identity and files the CertificateRequest.
#[derive(Debug)]
pub struct RecordingResolver {
    /// The identity as a signing key; `None` presents no certificate.
    pub key: Option<Arc<CertifiedKey>>,
    /// Where to file.
    pub recorder: Recorder,
}

impl ResolvesClientCert for RecordingResolver {
    fn resolve(
        &self,
        root_hint_subjects: &[&[u8]],
        schemes: &[SignatureScheme],
    ) -> Option<Arc<CertifiedKey>> {
        let request = CertificateRequest {
            ca_names: root_hint_subjects.iter().map(|s| s.to_vec()).collect(),
            schemes: schemes.to_vec(),
            sent: self
                .key
                .as_ref()
                .is_some_and(|key| key.key.choose_scheme(schemes).is_some()),
        };
        with(&self.recorder, |e| e.pending = Some(request));
        self.key.clone()
    }

    fn has_certs(&self) -> bool {
        true
    }
}

/// Wraps the real server-certificate check (or `--insecure`'s none) and records what it saw.
#[derive(Debug)]
pub struct RecordingVerifier {
    /// The check that decides.
    pub inner: Arc<dyn ServerCertVerifier>,
    /// Where to file.
    pub recorder: Recorder,
}

impl RecordingVerifier {
    /// The handshake being verified was signed under this TLS version.
    fn note_version(&self, version: &'static str) {
        with(&self.recorder, |e| {
            if let Some(last) = e.handshakes.last_mut() {
                last.version = Some(version);
            }
        });
    }
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let outcome = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        with(&self.recorder, |e| {
            let request = e.pending.take();
            e.handshakes.push(Handshake {
                server_name: server_name.to_str().into_owned(),
                chain: std::iter::once(end_entity)
                    .chain(intermediates)
                    .map(|c| c.to_vec())
                    .collect(),
                request,
                ..Handshake::default()
            });
        });
        outcome
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.note_version("TLSv1.2");
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.note_version("TLSv1.3");
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }

    fn requires_raw_public_keys(&self) -> bool {
        self.inner.requires_raw_public_keys()
    }

    fn root_hint_subjects(&self) -> Option<&[rustls::DistinguishedName]> {
        self.inner.root_hint_subjects()
    }
}

/// rustls's in-memory session cache, noting the cipher suite and group of each session.
#[derive(Debug)]
pub struct RecordingSessions {
    inner: ClientSessionMemoryCache,
    recorder: Recorder,
}

impl RecordingSessions {
    /// A small cache filing into `recorder`.
    pub fn new(recorder: Recorder) -> Self {
        Self {
            inner: ClientSessionMemoryCache::new(8),
            recorder,
        }
    }

    fn note(&self, server_name: &ServerName<'_>, f: impl FnOnce(&mut Handshake)) {
        let name = server_name.to_str();
        with(&self.recorder, |e| {
            if let Some(handshake) = e.last_for(&name) {
                f(handshake);
            }
        });
    }
}

impl ClientSessionStore for RecordingSessions {
    fn set_kx_hint(&self, server_name: ServerName<'static>, group: NamedGroup) {
        self.note(&server_name, |h| h.key_exchange = Some(group_name(group)));
        self.inner.set_kx_hint(server_name, group);
    }

    fn kx_hint(&self, server_name: &ServerName<'_>) -> Option<NamedGroup> {
        self.inner.kx_hint(server_name)
    }

    fn set_tls12_session(
        &self,
        server_name: ServerName<'static>,
        value: rustls::client::Tls12ClientSessionValue,
    ) {
        self.inner.set_tls12_session(server_name, value);
    }

    fn tls12_session(
        &self,
        server_name: &ServerName<'_>,
    ) -> Option<rustls::client::Tls12ClientSessionValue> {
        self.inner.tls12_session(server_name)
    }

    fn remove_tls12_session(&self, server_name: &ServerName<'static>) {
        self.inner.remove_tls12_session(server_name);
    }

    fn insert_tls13_ticket(
        &self,
        server_name: ServerName<'static>,
        value: rustls::client::Tls13ClientSessionValue,
    ) {
        let suite = value.suite().common.suite;
        self.note(&server_name, |h| {
            h.cipher = Some(suite.as_str().unwrap_or("unknown").to_owned());
        });
        self.inner.insert_tls13_ticket(server_name, value);
    }

    fn take_tls13_ticket(
        &self,
        server_name: &ServerName<'static>,
    ) -> Option<rustls::client::Tls13ClientSessionValue> {
        self.inner.take_tls13_ticket(server_name)
    }
}

fn group_name(group: NamedGroup) -> String {
    match group {
        NamedGroup::X25519 => "X25519".to_owned(),
        NamedGroup::secp256r1 => "P-256".to_owned(),
        NamedGroup::secp384r1 => "P-384".to_owned(),
        NamedGroup::secp521r1 => "P-521".to_owned(),
        NamedGroup::X25519MLKEM768 => "X25519MLKEM768".to_owned(),
        other => format!("{other:?}"),
    }
}
