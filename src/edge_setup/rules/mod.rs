//! Cloudflare's Rules language for one request: the scheme of every field and the evaluation
//! of an expression with Cloudflare's own engine (`wirefilter-engine`).

mod evaluate;
pub mod scheme;

pub use evaluate::{Evaluation, FactValue, Facts, RuleEngine, explain_parse_error};
