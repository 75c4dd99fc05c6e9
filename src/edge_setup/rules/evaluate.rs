//! One rule expression evaluated for one request with Cloudflare's engine. Comparisons on fields
//! Certlens cannot know (the client's address, its country, a header) are each replaced by a
//! Boolean stand-in, and the rule is evaluated for every combination of them: when all agree the
//! outcome is decided whatever those fields are, otherwise it depends on them.

use serde_json::Value;
use wirefilter::{ExecutionContext, FilterAst, Scheme};

use super::scheme::{self, COLLECTION_FIELDS};

/// A value Certlens knows for one field of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactValue {
    /// A Boolean field.
    Flag(bool),
    /// A string field (bytes, as Cloudflare compares them).
    Text(String),
}

/// What Certlens knows of the request: the certificate's fields, the URL's, HTTPS.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    values: Vec<(&'static str, FactValue)>,
}

impl Facts {
    /// Sets one field Certlens knows for the request.
    pub fn set(&mut self, field: &'static str, value: FactValue) {
        self.values.retain(|(name, _)| *name != field);
        self.values.push((field, value));
    }

    /// One field's value.
    pub fn get(&self, field: &str) -> Option<&FactValue> {
        self.values
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, v)| v)
    }

    fn apply<'e>(&'e self, context: &mut ExecutionContext<'e>) -> Result<(), String> {
        for (name, value) in &self.values {
            let result = match value {
                FactValue::Flag(flag) => context.set_field_value(name, *flag),
                FactValue::Text(text) => context.set_field_value(name, text.as_str()),
            };
            result.map_err(|e| format!("{name}: {e}"))?;
        }
        Ok(())
    }
}

/// The outcome of one rule expression for the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evaluation {
    /// The expression matches (or not) whatever the fields Certlens cannot know are.
    Decided {
        /// True when the rule's action applies.
        matches: bool,
        /// Fields the rule names that Certlens cannot know, which turned out not to matter.
        regardless_of: Vec<String>,
    },
    /// The expression matches for some values of these fields and not for others.
    Depends {
        /// The fields the outcome turns on.
        on: Vec<String>,
    },
    /// The engine cannot read the expression.
    NotEvaluated {
        /// Why, in a sentence.
        reason: String,
    },
}

/// At most this many comparisons on unknown fields are tried every way (2^N evaluations).
const MAX_STAND_INS: usize = 12;

/// Cloudflare's rule engine with the whole Rules-language scheme declared.
pub struct RuleEngine {
    scheme: Scheme,
}

impl Default for RuleEngine {
    fn default() -> Self {
        Self::new()
    }
}

impl RuleEngine {
    /// The engine with every scalar field of Cloudflare's Rules reference.
    pub fn new() -> Self {
        Self {
            scheme: scheme::cloudflare_scheme(),
        }
    }

    /// Evaluates `expression` for the request `facts` describes.
    pub fn evaluate(&self, expression: &str, facts: &Facts) -> Evaluation {
        let ast = match self.scheme.parse(expression) {
            Ok(ast) => ast,
            Err(error) => {
                return Evaluation::NotEvaluated {
                    reason: explain_parse_error(&error.to_string()),
                };
            }
        };
        let unknown: Vec<String> = scheme::all_fields()
            .map(|(name, _)| name)
            .filter(|name| facts.get(name).is_none() && ast.uses(name).unwrap_or(false))
            .map(str::to_owned)
            .collect();
        if unknown.is_empty() {
            return match execute(&self.scheme, ast, facts) {
                Ok(matches) => Evaluation::Decided {
                    matches,
                    regardless_of: Vec::new(),
                },
                Err(reason) => Evaluation::NotEvaluated { reason },
            };
        }
        match self.every_way(&ast, &unknown, facts) {
            Ok(Some(matches)) => Evaluation::Decided {
                matches,
                regardless_of: unknown,
            },
            Ok(None) => Evaluation::Depends { on: unknown },
            Err(reason) => Evaluation::NotEvaluated { reason },
        }
    }

    /// `Some(outcome)` when every combination of the unknown comparisons gives it, `None` when
    /// they disagree.
    fn every_way(
        &self,
        ast: &FilterAst<'_>,
        unknown: &[String],
        facts: &Facts,
    ) -> Result<Option<bool>, String> {
        let tree = serde_json::to_value(ast).map_err(|e| e.to_string())?;
        let mut restater = Restater {
            scheme: &self.scheme,
            unknown,
            stand_ins: 0,
        };
        let Some(restated) = restater.expression(&tree)? else {
            return Ok(None);
        };
        if restater.stand_ins > MAX_STAND_INS {
            return Ok(None);
        }
        let restated_scheme =
            scheme::restated_scheme(|name| facts.get(name).is_some(), restater.stand_ins);
        let ast = restated_scheme
            .parse(&restated)
            .map_err(|e| format!("the rule could not be restated for evaluation: {e}"))?;
        let filter = ast.compile();
        let mut seen = (false, false);
        for combination in 0u32..(1 << restater.stand_ins) {
            let flags: Vec<bool> = (0..restater.stand_ins)
                .map(|bit| combination & (1 << bit) != 0)
                .collect();
            let mut context = ExecutionContext::new(&restated_scheme);
            facts.apply(&mut context)?;
            let names: Vec<String> = (0..flags.len()).map(scheme::stand_in).collect();
            for (name, flag) in names.iter().zip(&flags) {
                context
                    .set_field_value(name, *flag)
                    .map_err(|e| e.to_string())?;
            }
            let matches = filter.execute(&context).map_err(|e| e.to_string())?;
            if matches {
                seen.0 = true;
            } else {
                seen.1 = true;
            }
            if seen.0 && seen.1 {
                return Ok(None);
            }
        }
        Ok(Some(seen.0))
    }
}

fn execute(scheme: &Scheme, ast: FilterAst<'_>, facts: &Facts) -> Result<bool, String> {
    let filter = ast.compile();
    let mut context = ExecutionContext::new(scheme);
    facts.apply(&mut context)?;
    filter.execute(&context).map_err(|e| e.to_string())
}

/// Writes a parsed expression back as Rules-language text, each comparison on an unknown field
/// replaced by a stand-in. Every comparison on a known field is checked to parse back to
/// itself.
struct Restater<'a> {
    scheme: &'a Scheme,
    unknown: &'a [String],
    stand_ins: usize,
}

impl Restater<'_> {
    /// `Ok(None)` when the expression holds more unknown comparisons than are tried.
    fn expression(&mut self, node: &Value) -> Result<Option<String>, String> {
        let unreadable = || "the rule could not be restated for evaluation".to_owned();
        let object = node.as_object().ok_or_else(unreadable)?;
        if let Some(items) = object.get("items").and_then(Value::as_array) {
            let joiner = match object.get("op").and_then(Value::as_str) {
                Some("And") => " and ",
                Some("Or") => " or ",
                Some("Xor") => " xor ",
                _ => return Err(unreadable()),
            };
            let mut parts = Vec::new();
            for item in items {
                let Some(part) = self.expression(item)? else {
                    return Ok(None);
                };
                parts.push(part);
            }
            return Ok(Some(format!("({})", parts.join(joiner))));
        }
        if let Some(argument) = object.get("arg") {
            if object.get("op").and_then(Value::as_str) != Some("Not") {
                return Err(unreadable());
            }
            return Ok(self
                .expression(argument)?
                .map(|inner| format!("not ({inner})")));
        }
        let field = object
            .get("field")
            .and_then(Value::as_str)
            .ok_or_else(unreadable)?;
        if self.unknown.iter().any(|name| name == field) {
            let name = scheme::stand_in(self.stand_ins);
            self.stand_ins += 1;
            if self.stand_ins > MAX_STAND_INS {
                return Ok(None);
            }
            return Ok(Some(name));
        }
        let text = comparison(field, object).ok_or_else(unreadable)?;
        // The comparison must mean what it meant: it parses back to the same tree.
        let again = self
            .scheme
            .parse(&text)
            .ok()
            .and_then(|ast| serde_json::to_value(&ast).ok());
        if again.as_ref() != Some(node) {
            return Err(unreadable());
        }
        Ok(Some(text))
    }
}

/// One comparison on a known (Boolean or string) field, as Rules-language text.
fn comparison(field: &str, object: &serde_json::Map<String, Value>) -> Option<String> {
    let op = object.get("op")?.as_str()?;
    let rhs = object.get("rhs");
    let word = match op {
        "IsTrue" => return Some(field.to_owned()),
        "Equal" => "eq",
        "NotEqual" => "ne",
        "GreaterThanEqual" => "ge",
        "LessThanEqual" => "le",
        "GreaterThan" => "gt",
        "LessThan" => "lt",
        "Contains" => "contains",
        "Matches" => return Some(format!("{field} matches {}", regex_literal(rhs?.as_str()?))),
        "OneOf" => {
            let items: Option<Vec<String>> = rhs?.as_array()?.iter().map(bytes_literal).collect();
            return Some(format!("{field} in {{{}}}", items?.join(" ")));
        }
        _ => return None,
    };
    Some(format!("{field} {word} {}", bytes_literal(rhs?)?))
}

/// A string as the engine reads it back: quoted, `"` and `\` escaped; raw bytes as `aa:bb`.
fn bytes_literal(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => {
            let mut out = String::with_capacity(text.len() + 2);
            out.push('"');
            for c in text.chars() {
                if c == '"' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('"');
            Some(out)
        }
        Value::Array(bytes) => {
            let hex: Option<Vec<String>> = bytes
                .iter()
                .map(|b| {
                    b.as_u64()
                        .filter(|b| *b <= 0xff)
                        .map(|b| format!("{b:02x}"))
                })
                .collect();
            Some(hex?.join(":"))
        }
        _ => None,
    }
}

/// A regular expression as the engine reads it back: a `"` outside a character class escaped.
fn regex_literal(pattern: &str) -> String {
    let mut out = String::from("\"");
    let mut in_class = false;
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push('\\');
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '"' if !in_class => out.push_str("\\\""),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Turns the engine's parse error (its text: a position, the line, carets, the kind) into a
/// sentence naming the construct it stopped at.
pub fn explain_parse_error(message: &str) -> String {
    let lines: Vec<&str> = message.lines().collect();
    let kind_line = lines.get(2).copied().unwrap_or_default();
    let input = lines.get(1).copied().unwrap_or_default();
    let start = kind_line.len() - kind_line.trim_start_matches(' ').len();
    let carets = kind_line[start..].len() - kind_line[start..].trim_start_matches('^').len();
    let kind = kind_line[start + carets..].trim();
    let span: String = input.chars().skip(start).take(carets.max(1)).collect();
    let after: String = input.chars().skip(start + carets).collect();
    let column = start + 1;
    if kind.contains("unknown field") {
        if after.trim_start().starts_with('(') {
            return format!(
                "it calls the function {span}(), which Cloudflare's published rule engine (wirefilter-engine 0.6.1) cannot evaluate"
            );
        }
        if COLLECTION_FIELDS.contains(&span.as_str()) {
            return format!(
                "it reads {span}, a list or map field, which Cloudflare's published rule engine (wirefilter-engine 0.6.1) cannot evaluate"
            );
        }
        return format!("it names {span}, which is not a field of Cloudflare's Rules language");
    }
    let rest = format!("{span}{after}");
    if rest.starts_with("wildcard") || rest.starts_with("strict wildcard") {
        return "it uses the wildcard operator, which Cloudflare's published rule engine (wirefilter-engine 0.6.1) cannot evaluate".to_owned();
    }
    if rest.starts_with('$') {
        return "it uses a named list ($…), whose contents the API does not return with the rule"
            .to_owned();
    }
    if rest.starts_with("r\"") || rest.starts_with("r#") {
        return "it uses a raw string (r\"…\"), which Cloudflare's published rule engine (wirefilter-engine 0.6.1) cannot read".to_owned();
    }
    format!("the engine cannot read it at column {column} ({kind})")
}

#[cfg(test)]
mod tests;
