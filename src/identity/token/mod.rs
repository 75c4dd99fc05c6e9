//! Identities that never leave their token: smart cards, YubiKeys (PIV) and HSMs over PKCS#11.
//! The certificates are read without a PIN; the key is used in place (a signature made with
//! `C_Sign`), after one login with the PIN the user gave — a wrong PIN is never tried twice.

mod error;
mod modules;
mod signer;
mod uri;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use cryptoki::context::{CInitializeArgs, CInitializeFlags, Pkcs11};
use cryptoki::error::{Error as CkError, RvError};
use cryptoki::object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle};
use cryptoki::session::{Session, UserType};
use cryptoki::slot::Slot;

pub use error::{PinTries, TokenError};
pub use modules::{MODULE_VARIABLE, ModuleSpec, modules};
pub use signer::{TokenKey, TokenKeyKind, TokenSigningKey};
pub use uri::{Pkcs11Uri, UriError, is_pkcs11_uri};

use crate::certificate::Certificate;
use crate::identity::Password;
use signer::{describe, token_error};

/// Every module loaded by this process, initialised once (a second `C_Initialize` is refused).
fn loaded(spec: &ModuleSpec) -> Result<Pkcs11, TokenError> {
    static LOADED: OnceLock<Mutex<HashMap<PathBuf, Pkcs11>>> = OnceLock::new();
    let cache = LOADED.get_or_init(|| Mutex::new(HashMap::new()));
    let mut cache = cache.lock().map_err(|_| TokenError::Device {
        detail: "an earlier module load failed midway".into(),
    })?;
    if let Some(context) = cache.get(&spec.path) {
        return Ok(context.clone());
    }
    let failed = |detail: String| TokenError::ModuleLoad {
        path: spec.path.display().to_string(),
        detail,
    };
    let context = Pkcs11::new(&spec.path).map_err(|e| failed(describe(&e)))?;
    match context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(error) => return Err(failed(describe(&error))),
    }
    cache.insert(spec.path.clone(), context.clone());
    Ok(context)
}

/// Whether a certificate's private key is on the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyPresence {
    /// A private key with the same `CKA_ID` is there.
    Yes,
    /// None is there (after login, or on a token whose keys are visible without one).
    No,
    /// Private keys are hidden until login; a public key with the same id is there.
    PublicKeyOnly,
    /// Private keys are hidden until login.
    AfterLogin,
}

/// A certificate on a token, with the URI that opens it.
#[derive(Debug, Clone)]
pub struct TokenCertificate {
    /// `CKA_LABEL`.
    pub label: String,
    /// `CKA_ID`.
    pub id: Vec<u8>,
    /// The certificate.
    pub certificate: Certificate,
    /// Whether its key is there.
    pub key: KeyPresence,
    /// The URI to give where an identity file goes.
    pub uri: String,
}

/// The PIN's state as the token reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PinState {
    /// Nothing to report.
    Ok,
    /// `CKF_USER_PIN_COUNT_LOW`.
    CountLow,
    /// `CKF_USER_PIN_FINAL_TRY`.
    FinalTry,
    /// `CKF_USER_PIN_LOCKED`.
    Locked,
    /// The token has its own PIN pad (`CKF_PROTECTED_AUTHENTICATION_PATH`).
    PinPad,
}

/// A token and its certificates.
#[derive(Debug, Clone)]
pub struct TokenEntry {
    /// The slot it is in.
    pub slot_id: u64,
    /// `label`.
    pub label: String,
    /// `manufacturerID`.
    pub manufacturer: String,
    /// `model`.
    pub model: String,
    /// `serialNumber`.
    pub serial: String,
    /// The PIN's state.
    pub pin: PinState,
    /// Whether the listing logged in (private keys visible).
    pub logged_in: bool,
    /// Its certificates.
    pub certificates: Vec<TokenCertificate>,
    /// Why it could not be read, if it could not.
    pub error: Option<String>,
}

/// A module and what it holds.
#[derive(Debug, Clone)]
pub struct ModuleListing {
    /// The module.
    pub module: ModuleSpec,
    /// Why it could not be read, if it could not.
    pub error: Option<String>,
    /// Its tokens.
    pub tokens: Vec<TokenEntry>,
}

fn token_uri(module: &ModuleSpec, info: &cryptoki::slot::TokenInfo) -> Pkcs11Uri {
    Pkcs11Uri {
        model: Some(info.model().trim().to_owned()),
        manufacturer: Some(info.manufacturer_id().trim().to_owned()),
        serial: Some(info.serial_number().trim().to_owned()),
        token: Some(info.label().trim().to_owned()),
        // A module p11-kit does not know must travel with the URI for it to work pasted back.
        module_path: (!module.registered).then(|| module.path.display().to_string()),
        ..Pkcs11Uri::default()
    }
}

fn pin_state(info: &cryptoki::slot::TokenInfo) -> PinState {
    if info.user_pin_locked() {
        PinState::Locked
    } else if info.user_pin_final_try() {
        PinState::FinalTry
    } else if info.user_pin_count_low() {
        PinState::CountLow
    } else if info.protected_authentication_path() {
        PinState::PinPad
    } else {
        PinState::Ok
    }
}

/// Every module, token and certificate, without logging in — except into the one token `login`
/// names (the URI must match exactly one), with its PIN, to see its private keys.
pub fn list(
    explicit_module: Option<&Path>,
    login: Option<(&Pkcs11Uri, &Password)>,
) -> Result<Vec<ModuleListing>, TokenError> {
    let specs = modules(explicit_module);
    if specs.is_empty() {
        return Err(TokenError::NoModule);
    }
    if let Some((uri, _)) = login {
        // One PIN, one token: the PIN is never tried on a second token.
        let matching = find_tokens(&specs, uri)?;
        if matching.len() != 1 {
            return Err(several_or_none(uri, &matching, &specs));
        }
    }
    let mut listings = Vec::new();
    for spec in specs {
        let context = match loaded(&spec) {
            Ok(context) => context,
            Err(error) => {
                listings.push(ModuleListing {
                    module: spec,
                    error: Some(error.to_string()),
                    tokens: Vec::new(),
                });
                continue;
            }
        };
        let mut tokens = Vec::new();
        let slots = match context.get_slots_with_initialized_token() {
            Ok(slots) => slots,
            Err(error) => {
                listings.push(ModuleListing {
                    module: spec,
                    error: Some(token_error(error).to_string()),
                    tokens: Vec::new(),
                });
                continue;
            }
        };
        for slot in slots {
            let Ok(info) = context.get_token_info(slot) else {
                continue;
            };
            let mut entry = TokenEntry {
                slot_id: slot.id(),
                label: info.label().trim().to_owned(),
                manufacturer: info.manufacturer_id().trim().to_owned(),
                model: info.model().trim().to_owned(),
                serial: info.serial_number().trim().to_owned(),
                pin: pin_state(&info),
                logged_in: false,
                certificates: Vec::new(),
                error: None,
            };
            let wanted = login.filter(|(wanted, _)| matches_token(wanted, &info, slot));
            match read_token(&context, &spec, slot, &info, wanted.map(|(_, pin)| pin)) {
                Ok((certificates, logged_in)) => {
                    entry.certificates = certificates;
                    entry.logged_in = logged_in;
                }
                // The PIN given was for this token: its refusal is the answer.
                Err(error) if wanted.is_some() => return Err(error),
                Err(error) => entry.error = Some(error.to_string()),
            }
            tokens.push(entry);
        }
        listings.push(ModuleListing {
            module: spec,
            error: None,
            tokens,
        });
    }
    Ok(listings)
}

/// A token's certificates, each with its key's presence and URI; logged in first when `pin`
/// is given.
fn read_token(
    context: &Pkcs11,
    spec: &ModuleSpec,
    slot: Slot,
    info: &cryptoki::slot::TokenInfo,
    pin: Option<&Password>,
) -> Result<(Vec<TokenCertificate>, bool), TokenError> {
    let session = context.open_ro_session(slot).map_err(token_error)?;
    let uri = token_uri(spec, info);
    let logged_in = match pin {
        Some(pin) => {
            login_once(context, slot, &session, info, Some(pin))?;
            true
        }
        None => false,
    };
    let certificates = certificates(&session)?
        .into_iter()
        .map(|(handle, certificate)| {
            let (label, id) = label_and_id(&session, handle);
            let key = key_presence(&session, &id, logged_in || !info.login_required());
            let uri = Pkcs11Uri {
                id: Some(id.clone()),
                object: Some(label.clone()),
                ..uri.clone()
            }
            .to_uri();
            TokenCertificate {
                label,
                id,
                certificate,
                key,
                uri,
            }
        })
        .collect();
    Ok((certificates, logged_in))
}

/// What a token identity is made of: every certificate on the token (the chosen one first)
/// and, when asked for, the chosen one's key, logged in.
pub struct TokenIdentity {
    /// The token's label.
    pub token: String,
    /// The certificate the URI names.
    pub leaf: Certificate,
    /// The token's other certificates (its chain, often).
    pub others: Vec<Certificate>,
    /// The key, when it was asked for.
    pub key: Option<(Arc<TokenKey>, crate::identity::key::KeyKind)>,
}

/// Opens the identity `uri` names. With `need_key`, logs in once with `pin` (a PIN pad needs
/// none) and finds the private key with the certificate's `CKA_ID`, proving it with a test
/// signature; without, no PIN is used at all.
pub fn open(
    uri_text: &str,
    explicit_module: Option<&Path>,
    pin: Option<&Password>,
    need_key: bool,
) -> Result<TokenIdentity, TokenError> {
    let uri = Pkcs11Uri::parse(uri_text)?;
    let module = explicit_module
        .map(Path::to_path_buf)
        .or_else(|| uri.module_path.as_ref().map(PathBuf::from));
    let mut specs = modules(module.as_deref());
    if let Some(name) = &uri.module_name {
        specs.retain(|s| &s.name == name);
    }
    if specs.is_empty() {
        return Err(TokenError::NoModule);
    }
    let matching = find_tokens(&specs, &uri)?;
    let [(context, slot, info)] = matching.as_slice() else {
        return Err(several_or_none(&uri, &matching, &specs));
    };
    let token = info.label().trim().to_owned();
    let session = context.open_ro_session(*slot).map_err(token_error)?;
    let all = certificates(&session)?;
    let chosen: Vec<(ObjectHandle, (String, Vec<u8>))> = all
        .iter()
        .map(|(handle, _)| (*handle, label_and_id(&session, *handle)))
        .filter(|(_, (label, id))| {
            uri.object.as_ref().is_none_or(|o| o == label)
                && uri.id.as_ref().is_none_or(|i| i == id)
        })
        .collect();
    let (handle, (_, id)) = match chosen.as_slice() {
        [one] => one.clone(),
        [] => {
            return Err(TokenError::NoCertificate {
                token,
                uri: uri_text.to_owned(),
            });
        }
        several => {
            return Err(TokenError::SeveralCertificates {
                token,
                count: several.len(),
                labels: several
                    .iter()
                    .map(|(_, (label, _))| label.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
    };
    let leaf = all
        .iter()
        .find(|(h, _)| *h == handle)
        .map(|(_, c)| c.clone())
        .ok_or_else(|| TokenError::Device {
            detail: "the certificate vanished while it was read".into(),
        })?;
    let others = all
        .iter()
        .filter(|(h, _)| *h != handle)
        .map(|(_, c)| c.clone())
        .collect();
    let key = if need_key {
        login_once(context, *slot, &session, info, pin)?;
        Some(key_for(context, *slot, session, &leaf, &id, &token)?)
    } else {
        None
    };
    Ok(TokenIdentity {
        token,
        leaf,
        others,
        key,
    })
}

type Found = (Pkcs11, Slot, cryptoki::slot::TokenInfo);

fn find_tokens(specs: &[ModuleSpec], uri: &Pkcs11Uri) -> Result<Vec<Found>, TokenError> {
    let mut found = Vec::new();
    let mut last_error = None;
    for spec in specs {
        let context = match loaded(spec) {
            Ok(context) => context,
            Err(error) => {
                last_error = Some(error);
                continue;
            }
        };
        for slot in context
            .get_slots_with_initialized_token()
            .map_err(token_error)?
        {
            if let Ok(info) = context.get_token_info(slot)
                && matches_token(uri, &info, slot)
            {
                found.push((context.clone(), slot, info));
            }
        }
    }
    match (found.is_empty(), last_error) {
        (true, Some(error)) if specs.len() == 1 => Err(error),
        _ => Ok(found),
    }
}

fn several_or_none(uri: &Pkcs11Uri, matching: &[Found], specs: &[ModuleSpec]) -> TokenError {
    if matching.is_empty() {
        let seen: Vec<String> = specs
            .iter()
            .filter_map(|spec| loaded(spec).ok())
            .flat_map(|context| {
                context
                    .get_slots_with_token()
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(move |slot| context.get_token_info(slot).ok())
            })
            .map(|info| format!("“{}”", info.label().trim()))
            .collect();
        TokenError::NoToken {
            uri: uri.to_uri(),
            seen: if seen.is_empty() {
                "no token is present".to_owned()
            } else {
                format!("present: {}", seen.join(", "))
            },
        }
    } else {
        TokenError::SeveralTokens {
            uri: uri.to_uri(),
            count: matching.len(),
            labels: matching
                .iter()
                .map(|(_, _, info)| {
                    format!(
                        "“{}” serial {}",
                        info.label().trim(),
                        info.serial_number().trim()
                    )
                })
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

fn matches_token(uri: &Pkcs11Uri, info: &cryptoki::slot::TokenInfo, slot: Slot) -> bool {
    let same = |wanted: &Option<String>, actual: &str| {
        wanted.as_ref().is_none_or(|w| w.trim() == actual.trim())
    };
    same(&uri.token, info.label())
        && same(&uri.manufacturer, info.manufacturer_id())
        && same(&uri.serial, info.serial_number())
        && same(&uri.model, info.model())
        && uri.slot_id.is_none_or(|id| id == slot.id())
}

/// Logs in once. A locked PIN is not tried; a refused one is reported with what the token
/// says now, and never tried again.
fn login_once(
    context: &Pkcs11,
    slot: Slot,
    session: &Session,
    info: &cryptoki::slot::TokenInfo,
    pin: Option<&Password>,
) -> Result<(), TokenError> {
    let token = info.label().trim().to_owned();
    if info.user_pin_locked() {
        return Err(TokenError::PinLocked { token });
    }
    let secret = match pin {
        Some(pin) => Some(cryptoki::types::AuthPin::from(pin.expose())),
        None if info.protected_authentication_path() => None,
        None => return Err(TokenError::PinNeeded { token }),
    };
    match session.login(UserType::User, secret.as_ref()) {
        Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(()),
        Err(CkError::Pkcs11(RvError::PinIncorrect | RvError::PinLenRange, _)) => {
            let tries = match context.get_token_info(slot) {
                Ok(now) if now.user_pin_locked() => PinTries::Locked,
                Ok(now) if now.user_pin_final_try() => PinTries::FinalTry,
                Ok(now) if now.user_pin_count_low() => PinTries::Low,
                _ => PinTries::Unknown,
            };
            Err(TokenError::WrongPin { token, tries })
        }
        Err(CkError::Pkcs11(RvError::PinLocked, _)) => Err(TokenError::PinLocked { token }),
        Err(error) => Err(token_error(error)),
    }
}

fn certificates(session: &Session) -> Result<Vec<(ObjectHandle, Certificate)>, TokenError> {
    let handles = session
        .find_objects(&[Attribute::Class(ObjectClass::CERTIFICATE)])
        .map_err(token_error)?;
    let mut out = Vec::new();
    for handle in handles.into_iter().take(crate::limits::MAX_OBJECTS) {
        let Ok(attributes) = session.get_attributes(handle, &[AttributeType::Value]) else {
            continue;
        };
        for attribute in attributes {
            if let Attribute::Value(der) = attribute
                && let Ok(certificate) = Certificate::from_der(&der)
            {
                out.push((handle, certificate));
            }
        }
    }
    Ok(out)
}

fn label_and_id(session: &Session, handle: ObjectHandle) -> (String, Vec<u8>) {
    let mut label = String::new();
    let mut id = Vec::new();
    if let Ok(attributes) =
        session.get_attributes(handle, &[AttributeType::Label, AttributeType::Id])
    {
        for attribute in attributes {
            match attribute {
                Attribute::Label(bytes) => label = String::from_utf8_lossy(&bytes).into_owned(),
                Attribute::Id(bytes) => id = bytes,
                _ => {}
            }
        }
    }
    (label, id)
}

fn key_presence(session: &Session, id: &[u8], private_visible: bool) -> KeyPresence {
    let find = |class| {
        session
            .find_objects(&[Attribute::Class(class), Attribute::Id(id.to_vec())])
            .map(|found| !found.is_empty())
            .unwrap_or(false)
    };
    if find(ObjectClass::PRIVATE_KEY) {
        KeyPresence::Yes
    } else if private_visible {
        KeyPresence::No
    } else if find(ObjectClass::PUBLIC_KEY) {
        KeyPresence::PublicKeyOnly
    } else {
        KeyPresence::AfterLogin
    }
}

/// The private key with `id` on the logged-in `session`, proven to belong to `leaf`.
fn key_for(
    context: &Pkcs11,
    slot: Slot,
    session: Session,
    leaf: &Certificate,
    id: &[u8],
    token: &str,
) -> Result<(Arc<TokenKey>, crate::identity::key::KeyKind), TokenError> {
    let hex_id = crate::certificate::hex::lower(id);
    let handles = session
        .find_objects(&[
            Attribute::Class(ObjectClass::PRIVATE_KEY),
            Attribute::Id(id.to_vec()),
        ])
        .map_err(token_error)?;
    let Some(&handle) = handles.first() else {
        return Err(TokenError::NoKey {
            token: token.to_owned(),
            id: hex_id,
        });
    };
    let key_type = session
        .get_attributes(handle, &[AttributeType::KeyType])
        .ok()
        .and_then(|attributes| {
            attributes.into_iter().find_map(|a| match a {
                Attribute::KeyType(t) => Some(t),
                _ => None,
            })
        });
    let info = leaf.public_key_info();
    let curve = info.and_then(|i| i.curve.clone()).unwrap_or_default();
    let (kind, key_kind) = match key_type {
        Some(KeyType::RSA) => (
            TokenKeyKind::Rsa,
            crate::identity::key::KeyKind::Rsa {
                bits: info.and_then(|i| i.rsa_modulus_bits).unwrap_or(0) as usize,
            },
        ),
        Some(KeyType::EC) if curve == P256 => (
            TokenKeyKind::EcP256,
            crate::identity::key::KeyKind::Ec {
                curve: "P-256".into(),
            },
        ),
        Some(KeyType::EC) if curve == P384 => (
            TokenKeyKind::EcP384,
            crate::identity::key::KeyKind::Ec {
                curve: "P-384".into(),
            },
        ),
        Some(KeyType::EC_EDWARDS) => (
            TokenKeyKind::Ed25519,
            crate::identity::key::KeyKind::Ed25519,
        ),
        other => {
            return Err(TokenError::NoMechanism {
                token: token.to_owned(),
                key: other
                    .map(|t| t.to_string())
                    .unwrap_or_else(|| "unknown".into()),
            });
        }
    };
    let mechanisms = context.get_mechanism_list(slot).map_err(token_error)?;
    let key = TokenKey::new(session, handle, kind, &mechanisms).ok_or_else(|| {
        TokenError::NoMechanism {
            token: token.to_owned(),
            key: key_kind.to_string(),
        }
    })?;
    // The key with the certificate's id must be the certificate's key: one test signature.
    let challenge = b"certlens: does this key belong to the certificate?";
    let scheme = key.schemes()[0];
    let signature = key.sign(scheme, challenge)?;
    if !verifies(leaf, scheme, challenge, &signature) {
        return Err(TokenError::KeyMismatch {
            token: token.to_owned(),
            id: hex_id,
        });
    }
    Ok((Arc::new(key), key_kind))
}

const P256: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07];
const P384: &[u8] = &[0x2B, 0x81, 0x04, 0x00, 0x22];

fn verifies(
    leaf: &Certificate,
    scheme: rustls::SignatureScheme,
    message: &[u8],
    signature: &[u8],
) -> bool {
    use aws_lc_rs::signature as sig;
    use rustls::SignatureScheme as S;
    let algorithm: &dyn sig::VerificationAlgorithm = match scheme {
        S::RSA_PSS_SHA256 => &sig::RSA_PSS_2048_8192_SHA256,
        S::RSA_PSS_SHA384 => &sig::RSA_PSS_2048_8192_SHA384,
        S::RSA_PSS_SHA512 => &sig::RSA_PSS_2048_8192_SHA512,
        S::RSA_PKCS1_SHA256 => &sig::RSA_PKCS1_2048_8192_SHA256,
        S::RSA_PKCS1_SHA384 => &sig::RSA_PKCS1_2048_8192_SHA384,
        S::RSA_PKCS1_SHA512 => &sig::RSA_PKCS1_2048_8192_SHA512,
        S::ECDSA_NISTP256_SHA256 => &sig::ECDSA_P256_SHA256_ASN1,
        S::ECDSA_NISTP384_SHA384 => &sig::ECDSA_P384_SHA384_ASN1,
        S::ED25519 => &sig::ED25519,
        _ => return false,
    };
    sig::UnparsedPublicKey::new(algorithm, leaf.public_key_bits())
        .verify(message, signature)
        .is_ok()
}
