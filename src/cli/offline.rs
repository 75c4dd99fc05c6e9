//! The commands that never touch the network: `fields`, `verify` and `report` (whose `--url`
//! runs the live test through [`super::live`]).

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{Context as _, bail};

use crate::assess::Assessment;
use crate::certificate::Certificate;
use crate::fields::EdgeView;
use crate::identity::{self, LoadedFile};
use crate::probe::LiveTest;
use crate::report;

use super::args::{FieldsArgs, FieldsFormat, FieldsProfile, ReportArgs, VerifyArgs, VerifyFormat};
use super::live::http_request;
use super::load::{load_cas, load_trust, load_with_password};

pub(super) fn fields(args: &FieldsArgs) -> anyhow::Result<ExitCode> {
    let file = load_with_password(&args.file, &args.password, false)?;
    let trust = load_trust(&args.trust, &args.password)?;
    let identity = file
        .identity()
        .with_context(|| format!("cannot load {}", args.file.display()))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.all && args.profile == FieldsProfile::All {
        bail!(
            "--profile all lays out one certificate edge by edge, and --all prints each certificate of a bundle: use one of them"
        );
    }
    let written = match args.profile {
        FieldsProfile::All => {
            let views = trust.every_edge(&identity);
            print_every_edge(&mut out, &views, args.format)
        }
        FieldsProfile::One(profile) => {
            let print = |out: &mut dyn std::io::Write,
                         identity: &identity::Identity,
                         fallback_issuer: Option<&Certificate>,
                         pretty: bool| {
                let view = trust
                    .assess_with_issuer(identity, fallback_issuer, profile)
                    .view;
                print_fields(out, &file, identity, &view, args.format, pretty)
            };
            if args.all {
                // Every certificate on its own, as if presented alone (a CA bundle, a chain);
                // its issuer may be any certificate of the file or a chosen CA.
                let pool =
                    identity::IssuerPool::new(trust.cas.iter().chain(file.certificates.iter()));
                each_in_order(&mut out, &file.certificates, |out, cert| {
                    let alone = identity::Identity {
                        leaf: cert.clone(),
                        chain: Vec::new(),
                        key: None,
                    };
                    print(out, &alone, pool.issuer_of(cert), false)
                })
            } else {
                print(&mut out, &identity, identity.find_issuer(&trust.cas), true)
            }
        }
    };
    match written.and_then(|()| out.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => return Err(error.into()),
        _ => {}
    }
    Ok(ExitCode::SUCCESS)
}

/// How many certificates each core renders before the output is written: the output of one
/// round is held in memory, so a bundle of any size costs a bounded amount.
const ROUND_PER_CORE: usize = 256;

/// Renders `items` with `render` on every core and writes the output in the items' order.
fn each_in_order<T: Sync>(
    out: &mut impl std::io::Write,
    items: &[T],
    render: impl Fn(&mut dyn std::io::Write, &T) -> std::io::Result<()> + Sync,
) -> std::io::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    for round in items.chunks(ROUND_PER_CORE * cores) {
        let share = round.len().div_ceil(cores);
        let parts: Vec<std::io::Result<Vec<u8>>> = std::thread::scope(|scope| {
            let workers: Vec<_> = round
                .chunks(share)
                .map(|part| {
                    let render = &render;
                    scope.spawn(move || {
                        let mut buffer = Vec::new();
                        for item in part {
                            render(&mut buffer, item)?;
                        }
                        Ok(buffer)
                    })
                })
                .collect();
            workers
                .into_iter()
                .map(|worker| {
                    worker
                        .join()
                        .unwrap_or_else(|_| Err(std::io::Error::other("a rendering thread failed")))
                })
                .collect()
        });
        for part in parts {
            out.write_all(&part?)?;
        }
    }
    Ok(())
}

fn print_every_edge(
    out: &mut impl std::io::Write,
    views: &[EdgeView],
    format: FieldsFormat,
) -> std::io::Result<()> {
    match format {
        FieldsFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &report::EveryEdge::new(views))?;
            writeln!(out)
        }
        FieldsFormat::Text => write!(out, "{}", report::EveryEdge::new(views).text()),
        FieldsFormat::Headers => write!(out, "{}", report::EveryEdge::header_blocks(views)),
    }
}

pub(super) fn verify_command(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let file = load_with_password(&args.file, &args.password, false)?;
    let trust = load_trust(&args.trust, &args.password)?;
    if trust.cas.is_empty() {
        bail!(
            "give the CA the edge trusts with --ca CA (the file the hostname's mTLS settings use)"
        );
    }
    let identity = file
        .identity()
        .with_context(|| format!("cannot load {}", args.file.display()))?;
    let verification = trust
        .verify(&identity.leaf, &identity.chain, args.profile.profile())
        .context("no CA to verify against")?;
    let revoked = trust.revokes(&identity.leaf, verification.issuer());
    let mut out = std::io::stdout().lock();
    let text = match args.format {
        VerifyFormat::Json => {
            let report = report::VerifyDocument::new(
                &verification,
                args.profile.profile(),
                trust.options.at,
                revoked,
            );
            serde_json::to_string_pretty(&report)? + "\n"
        }
        VerifyFormat::Text => report::verify_text(
            &verification,
            args.profile.profile(),
            trust.options.at,
            revoked,
        ),
    };
    match out.write_all(text.as_bytes()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => return Err(error.into()),
        _ => {}
    }
    Ok(if verification.is_success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

pub(super) fn print_fields(
    out: &mut (impl std::io::Write + ?Sized),
    file: &LoadedFile,
    identity: &identity::Identity,
    view: &EdgeView,
    format: FieldsFormat,
    pretty: bool,
) -> std::io::Result<()> {
    match format {
        FieldsFormat::Json => {
            let document = report::FieldsDocument::new(file, identity, view);
            if pretty {
                serde_json::to_writer_pretty(&mut *out, &document)?;
            } else {
                serde_json::to_writer(&mut *out, &document)?;
            }
            writeln!(out)
        }
        FieldsFormat::Text => write!(out, "{}", report::fields_text(file, identity, view)),
        FieldsFormat::Headers => write!(out, "{}", report::header_lines(view)),
    }
}

pub(super) fn report_command(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format.format(),
        (None, Some(path)) => report::Format::from_extension(path).with_context(|| {
            format!(
                "cannot tell the format from {}; pass --format json|md|csv|html",
                path.display()
            )
        })?,
        (None, None) => {
            bail!("pass --format json|md|csv|html (or -o with one of those extensions)")
        }
    };
    let file = load_with_password(&args.file, &args.password, args.url.is_some())?;
    let trust = load_trust(&args.trust, &args.password)?;
    let identity = file
        .identity()
        .with_context(|| format!("cannot load {}", args.file.display()))?;
    let Assessment { verification, view } = trust.assess(&identity, args.profile.profile());
    let (live, audit) = match &args.url {
        Some(url) => {
            if identity.key.is_none() {
                bail!(
                    "--url needs the private key: {} holds only the certificate",
                    args.file.display()
                );
            }
            let server_cas = load_cas(&args.request.server_ca, &args.password)?;
            let request = http_request(url, &args.request, server_cas)?;
            let live = LiveTest::run(&identity, &trust, args.profile.profile(), &request)?;
            let audit = if args.audit {
                Some(crate::audit::Audit::run(
                    &identity,
                    &trust,
                    args.profile.profile(),
                    &request,
                )?)
            } else {
                None
            };
            (Some(live), audit)
        }
        None => (None, None),
    };
    let mut report = report::Report::new(
        &file,
        &identity,
        &view,
        verification.as_ref().map(|v| (v, trust.options.at)),
        live.as_ref(),
    );
    if args.cloudflare
        && let Some(url) = &args.url
    {
        let check =
            super::cloudflare::run_check(&args.cloudflare_api, url, None, false, &identity)?;
        report = report.with_cloudflare_setup(&check);
    }
    if let Some(audit) = &audit {
        report = report.with_audit(audit);
    }
    let text = report.render(format);
    match &args.output {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => {
            // On a terminal no certificate byte may act as a control character; JSON's encoder
            // escapes them already, and a file written with --output stays exact.
            let text = match format {
                report::Format::Json => text,
                _ => report::escape::terminal_block(&text).into_owned(),
            };
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()) {
                Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(error.into());
                }
                _ => {}
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
