//! The edge's own configuration read through its API (Cloudflare first): whether mTLS is on for
//! the hostname, which CAs it trusts, the certificate's status in the dashboard, forwarding to
//! the origin, and the WAF rules evaluated for this certificate.

pub mod cloudflare;
pub mod rules;
