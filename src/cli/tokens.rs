//! `certlens tokens`: every PKCS#11 module, token and certificate, with the URI to use.

use std::io::IsTerminal as _;
use std::process::ExitCode;

use anyhow::{Context as _, bail};

use super::args::{TokensArgs, VerifyFormat};
use super::write_stdout;
use crate::identity::Password;
use crate::identity::token::{self, Pkcs11Uri, TokenError};
use crate::report;

/// `certlens tokens [URI] [--login]`.
pub(super) fn tokens_command(args: &TokensArgs) -> anyhow::Result<ExitCode> {
    let module = args.password.pkcs11_module.as_deref();
    let filter = args
        .uri
        .as_deref()
        .map(Pkcs11Uri::parse)
        .transpose()
        .context("the URI")?;
    let pin = if args.login {
        match args.password.given()? {
            Some(pin) => Some(pin),
            None if std::io::stdin().is_terminal() => Some(Password::new(
                rpassword::prompt_password("PIN: ")
                    .context("cannot read the PIN from the terminal")?,
            )),
            None => bail!(
                "--login needs the token's PIN: give it with --password-file or --password-env"
            ),
        }
    } else {
        None
    };
    let login = filter.as_ref().zip(pin.as_ref());
    let mut listings = token::list(module, login.filter(|_| args.login)).map_err(|e| {
        let hint = match e {
            TokenError::NoModule => "; name one with --pkcs11-module or CERTLENS_PKCS11_MODULE",
            _ => "",
        };
        anyhow::anyhow!("{e}{hint}")
    })?;
    if let Some(filter) = &filter {
        for listing in &mut listings {
            listing.tokens.retain(|t| {
                filter.token.as_ref().is_none_or(|l| l == &t.label)
                    && filter.serial.as_ref().is_none_or(|s| s == &t.serial)
                    && filter
                        .manufacturer
                        .as_ref()
                        .is_none_or(|m| m == &t.manufacturer)
                    && filter.model.as_ref().is_none_or(|m| m == &t.model)
            });
        }
    }
    let text = match args.format {
        VerifyFormat::Json => {
            serde_json::to_string_pretty(&report::tokens_document(&listings))? + "\n"
        }
        VerifyFormat::Text => report::tokens_text(&listings),
    };
    write_stdout(&text)?;
    Ok(ExitCode::SUCCESS)
}
