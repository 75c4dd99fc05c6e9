//! What a user can change when the live test fails or warns. The library names the change; each
//! face says how to make it in its own words (a command-line flag, a control in the window).

use crate::fields::Profile;

/// One change that gets past a problem the live test met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Remedy {
    /// Trust the server's own CA.
    TrustServerCa,
    /// Skip checking the server's certificate.
    SkipServerCheck,
    /// Go straight to the server, not through the proxy.
    BypassProxy,
    /// Speak HTTP/1.1 only.
    UseHttp1,
    /// Let the HTTP version be agreed in the handshake.
    NegotiateHttpVersion,
    /// Allow each phase more time.
    LongerTimeout,
    /// Follow redirects.
    FollowRedirects,
    /// Run the same request with curl, which renegotiates where rustls does not.
    TryCurl,
    /// Compare with another edge's spelling.
    ChooseProfile(Profile),
}
