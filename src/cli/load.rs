//! Reading what a command was given: passwords (file, environment, or the terminal's prompt),
//! identities, CA files and the other trust settings.

use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::assess::Trust;
use crate::certificate::Certificate;
use crate::certificate::Instant;
use crate::identity::token::{TokenError, is_pkcs11_uri};
use crate::identity::{self, LoadError, LoadedFile, Password};
use crate::verify::{self, Crl};

use super::args::{PasswordArgs, TrustArgs};

impl PasswordArgs {
    /// The password given by file or environment, if any (with a keystore's key password when
    /// one was given apart).
    pub fn given(&self) -> anyhow::Result<Option<Password>> {
        let store = read_secret(
            self.password_file.as_deref(),
            self.password_env.as_deref(),
            "password",
        )?;
        let key = read_secret(
            self.key_password_file.as_deref(),
            self.key_password_env.as_deref(),
            "key password",
        )?;
        Ok(match (store, key) {
            (Some(store), Some(key)) => Some(store.with_key_password(key.expose())),
            (None, Some(key)) => Some(Password::new("").with_key_password(key.expose())),
            (store, None) => store,
        })
    }
}

/// A secret from the first line of `file`, or from the environment variable `variable`.
fn read_secret(
    file: Option<&Path>,
    variable: Option<&str>,
    what: &str,
) -> anyhow::Result<Option<Password>> {
    if let Some(path) = file {
        let text = zeroize::Zeroizing::new(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the {what} file {}", path.display()))?,
        );
        return Ok(Some(Password::from_file_contents(&text)));
    }
    if let Some(var) = variable {
        let Some(value) = std::env::var_os(var) else {
            bail!("the environment variable {var} (the {what}) is not set");
        };
        let Some(value) = value.to_str() else {
            bail!("the environment variable {var} is not valid UTF-8");
        };
        return Ok(Some(Password::new(value)));
    }
    Ok(None)
}

/// Loads `path` — a file, or a token's `pkcs11:` URI — asking on the terminal for a password
/// (or PIN) when one is needed and none was given. A token's PIN is asked for only when
/// `need_key` (the key signs a live request), and tried once.
pub fn load_with_password(
    path: &Path,
    password: &PasswordArgs,
    need_key: bool,
) -> anyhow::Result<LoadedFile> {
    let given = password.given()?;
    let describe = |e: LoadError| {
        // The library names no flag; the command line says which of its own to use.
        let hint = match &e {
            LoadError::PasswordNeeded { .. } => "; give it with --password-file or --password-env",
            LoadError::WrongPassword { detail } if detail.contains("keystore opens") => {
                "; give the key password with --key-password-file or --key-password-env"
            }
            LoadError::Token(TokenError::PinNeeded { .. }) => {
                "; give the PIN with --password-file or --password-env"
            }
            LoadError::Token(TokenError::NoModule | TokenError::NoToken { .. }) => {
                "; name the module with --pkcs11-module (see `certlens tokens`)"
            }
            _ => "",
        };
        anyhow::anyhow!("{e}{hint}").context(format!("cannot load {}", path.display()))
    };
    let terminal = given.is_none() && std::io::stdin().is_terminal();
    if let Some(uri) = path.to_str().filter(|p| is_pkcs11_uri(p)) {
        let module = password.pkcs11_module.as_deref();
        return match identity::load_token(uri, module, given.as_ref(), need_key) {
            Err(LoadError::Token(TokenError::PinNeeded { token })) if terminal => {
                let typed = rpassword::prompt_password(format!("PIN for the token “{token}”: "))
                    .context("cannot read the PIN from the terminal")?;
                identity::load_token(uri, module, Some(&Password::new(typed)), need_key)
                    .map_err(describe)
            }
            other => other.map_err(describe),
        };
    }
    match identity::load_file(path, given.as_ref()) {
        Err(LoadError::PasswordNeeded { what }) if terminal => {
            let prompt = format!("Password for {} ({what}): ", path.display());
            let typed = rpassword::prompt_password(prompt)
                .context("cannot read the password from the terminal")?;
            identity::load_file(path, Some(&Password::new(typed))).map_err(describe)
        }
        other => other.map_err(describe),
    }
}

/// Reads every certificate of each CA file.
pub fn load_cas(paths: &[PathBuf], password: &PasswordArgs) -> anyhow::Result<Vec<Certificate>> {
    let mut cas = Vec::new();
    for path in paths {
        let file = load_with_password(path, password, false)
            .with_context(|| "reading a --ca file".to_string())?;
        if file.certificates.is_empty() {
            bail!(
                "the CA file {} holds no certificate (it holds only a private key)",
                path.display()
            );
        }
        cas.extend(file.certificates);
    }
    Ok(cas)
}

/// Loads the trust settings of a command (CA files, CRL, clock, depth).
pub(super) fn load_trust(args: &TrustArgs, password: &PasswordArgs) -> anyhow::Result<Trust> {
    let mut crls = Vec::new();
    for path in &args.crls {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the CRL {}", path.display()))?;
        crls.extend(
            Crl::all_from_bytes(&bytes)
                .with_context(|| format!("cannot load the CRL {}", path.display()))?,
        );
    }
    Ok(Trust {
        cas: load_cas(&args.cas, password)?,
        crls,
        options: verify::Options {
            at: args.at.unwrap_or_else(Instant::now),
            depth: args.depth,
            partial_chain: args.partial_chain,
        },
    })
}
