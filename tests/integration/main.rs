//! Integration tests over the `certlens` binary and the public library, on files the `openssl`
//! CLI makes at test time. One test binary, so it compiles once.

use certlens_test_support as common;

mod architecture;
mod audit;
mod cloudflare;
mod completions;
mod edge_oracles;
mod edges;
mod errors;
mod generated;
mod hostile;
mod keystores;
mod limits;
mod live;
mod live_faults;
mod loading;
mod network;
mod nginx_edge;
mod nginx_oracle;
mod pkcs12;
mod reports;
mod routes;
mod secrets;
mod tokens;
mod verify_oracle;
mod verifying;
mod wording;
