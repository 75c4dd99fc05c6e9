//! `certlens cloudflare`: the hostname's Cloudflare setup, read with a read-only API token.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, bail};

use super::args::{CloudflareApiArgs, CloudflareArgs, VerifyFormat};
use super::{load_with_password, write_stdout};
use crate::edge_setup::cloudflare::{self, ApiToken, SetupCheck, SetupRequest};
use crate::identity::Identity;
use crate::report;

/// The environment variable the token is read from (Cloudflare's own tools use it too).
const TOKEN_VARIABLE: &str = "CLOUDFLARE_API_TOKEN";

/// `certlens cloudflare`: 0 when the certificate gets through, 1 when a problem was found, 2
/// when the check could not be made or was incomplete.
pub(super) fn cloudflare_command(args: &CloudflareArgs) -> anyhow::Result<ExitCode> {
    let file = load_with_password(&args.identity, &args.password, false)?;
    let identity = file
        .identity()
        .with_context(|| format!("cannot load {}", args.identity.display()))?;
    let check = run_check(
        &args.api,
        &args.url,
        args.path.as_deref(),
        args.worker,
        &identity,
    )?;
    let text = match args.format {
        VerifyFormat::Json => serde_json::to_string_pretty(&check)? + "\n",
        VerifyFormat::Text => report::cloudflare_text(&check),
    };
    write_stdout(&text)?;
    Ok(ExitCode::from(check.verdict.exit_code()))
}

/// Reads the token and runs the check.
pub(super) fn run_check(
    api: &CloudflareApiArgs,
    url: &str,
    path: Option<&str>,
    worker: bool,
    identity: &Identity,
) -> anyhow::Result<SetupCheck> {
    let token = token(api)?;
    let request = SetupRequest {
        url,
        path,
        identity,
        behind_worker: worker,
        api_base: &api.api_base,
        timeout: Duration::from_secs(api.api_timeout),
    };
    let check = cloudflare::check(&request, token).map_err(|error| {
        let hint = match &error {
            cloudflare::SetupError::Api(cloudflare::ApiError::PermissionMissing { .. }) => {
                "; add it to the token (My Profile > API Tokens)"
            }
            cloudflare::SetupError::Api(cloudflare::ApiError::TokenRefused { .. }) => {
                "; check CLOUDFLARE_API_TOKEN or --token-file"
            }
            _ => "",
        };
        anyhow::anyhow!("{error}{hint}").context("the Cloudflare setup check could not be made")
    })?;
    Ok(check)
}

fn token(api: &CloudflareApiArgs) -> anyhow::Result<ApiToken> {
    if let Some(path) = &api.token_file {
        let text = zeroize::Zeroizing::new(
            std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the token file {}", path.display()))?,
        );
        return ApiToken::new(&text).with_context(|| format!("--token-file {}", path.display()));
    }
    match std::env::var(TOKEN_VARIABLE) {
        Ok(value) => {
            let value = zeroize::Zeroizing::new(value);
            ApiToken::new(&value).with_context(|| TOKEN_VARIABLE.to_owned())
        }
        Err(std::env::VarError::NotUnicode(_)) => bail!("{TOKEN_VARIABLE} is not valid UTF-8"),
        Err(std::env::VarError::NotPresent) => bail!(
            "no Cloudflare API token: set {TOKEN_VARIABLE} or pass --token-file F (a read-only token: see `certlens cloudflare --help`)"
        ),
    }
}
