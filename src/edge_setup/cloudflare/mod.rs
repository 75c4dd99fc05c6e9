//! Cloudflare: the account read with a read-only API token (hostname associations, CAs, the
//! dashboard's client certificates, forwarding, WAF custom rules), each finding a row.

mod api;
mod check;
mod facts;
mod forwarding;
mod hosts;
mod model;
mod permissions;
mod rows;
mod token;
mod verdict;
mod waf;

pub use api::{ApiError, DEFAULT_API_BASE};
pub use check::{SetupCheck, SetupError, SetupRequest, ZoneSummary, check, check_async};
pub use rows::{Check, Fix, Row, Status, Verdict};
pub use token::{ApiToken, TokenError};
