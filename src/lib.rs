//! Certlens: inspect and test mTLS client certificates exactly as an edge sees them.
//!
//! The library does all certificate work; the command line ([`cli`]) and the window ([`gui`])
//! are thin faces over it. Data flows one way: [`identity`] loads what the user has;
//! [`fields`] computes the edge's view of it and [`verify`] the edge's verdict ([`assess`] puts
//! the two together); [`probe`] sends the live request and compares the echo (with
//! [`echo_server`] as a local edge); [`report`] shapes every output.
//!
//! ```no_run
//! use certlens::fields::{Context, EdgeView, Profile};
//! use certlens::identity::{load_file, Password};
//!
//! let file = load_file("client.p12".as_ref(), Some(&Password::new("secret")))?;
//! let identity = file.identity()?;
//! let context = Context { chain: &identity.chain, issuer: identity.find_issuer(&[]), ..Context::default() };
//! let view = EdgeView::compute(&identity.leaf, &context, Profile::Cloudflare);
//! println!("{:?}", view.get(certlens::fields::Property::CertSubjectDN));
//! # Ok::<(), certlens::identity::LoadError>(())
//! ```

// A panic must never reach the user: the library proves every step instead (tests may unwrap).
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod assess;
pub mod audit;
pub mod certificate;
#[cfg(feature = "cli")]
pub mod cli;
pub mod contain;
pub mod echo_server;
pub mod edge_setup;
pub mod fields;
#[cfg(feature = "gui")]
pub mod gui;
pub mod identity;
pub mod limits;
pub mod notation;
pub mod probe;
pub mod report;
pub mod settings;
pub mod verify;
