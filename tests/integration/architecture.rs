//! The library's floors: every `crate::`/`super::` path in `src/` is read, and an arrow between
//! two top-level folders must point down the order below; below the top, no folder's children
//! may import each other in a circle. A new top-level folder must be given its floor here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top-level modules from the ground up: a module may use only those before it.
const FLOORS: &[&[&str]] = &[
    &["limits", "contain"],
    &["certificate"],
    &["notation"],
    &["identity"],
    &["verify"],
    &["fields"],
    &["assess"],
    &["probe"],
    &["audit", "edge_setup"],
    &["report"],
    &["echo_server", "settings"],
    &["gui"],
    &["cli"],
];

type ModulePath = Vec<String>;

/// `(folder, item) -> module`: the items a folder re-exports (`pub use child::Item`), by the
/// child module that defines them.
type Reexports = BTreeMap<(ModulePath, String), ModulePath>;

/// Every `pub use child::…` of every module.
fn reexports(
    sources: &[(ModulePath, String, String)],
    modules: &BTreeSet<ModulePath>,
) -> Reexports {
    let mut out = Reexports::new();
    for (module, _, text) in sources {
        for statement in text.split(';') {
            let statement = statement.trim();
            let Some(rest) = ["pub use ", "pub(crate) use ", "pub(super) use "]
                .iter()
                .find_map(|prefix| statement.strip_prefix(prefix))
            else {
                continue;
            };
            let Some((child, items)) = rest.split_once("::") else {
                continue;
            };
            let mut origin = module.clone();
            origin.push(child.trim().to_owned());
            if !modules.contains(&origin) {
                continue;
            }
            let items = items.trim().trim_start_matches('{').trim_end_matches('}');
            for item in items.split(',') {
                // `a as b` is re-exported as `b`; a nested path ends in the item.
                let name = item.split(" as ").last().unwrap_or_default();
                let name = name.rsplit("::").next().unwrap_or_default().trim();
                if !name.is_empty() && name != "self" && name != "*" {
                    out.insert((module.clone(), name.to_owned()), origin.clone());
                }
            }
        }
    }
    out
}

#[test]
fn every_arrow_between_top_level_folders_points_down() {
    let graph = Graph::read();
    let floor = |module: &str| FLOORS.iter().position(|floor| floor.contains(&module));
    let mut upward = Vec::new();
    for top in graph.modules.iter().filter(|m| m.len() == 1) {
        assert!(
            floor(&top[0]).is_some(),
            "src/{} has no floor in FLOORS: place it",
            top[0]
        );
    }
    for ((from, to), files) in &graph.arrows {
        if from.len() != 1 {
            continue;
        }
        if floor(&from[0]) <= floor(&to[0]) {
            upward.push(format!("{} -> {} ({})", from[0], to[0], join(files)));
        }
    }
    assert!(
        upward.is_empty(),
        "arrows that do not point down:\n{}",
        upward.join("\n")
    );
}

#[test]
fn no_folder_imports_its_siblings_in_a_circle() {
    let graph = Graph::read();
    let mut next: BTreeMap<&ModulePath, Vec<&ModulePath>> = BTreeMap::new();
    for (from, to) in graph.arrows.keys() {
        next.entry(from).or_default().push(to);
    }
    let mut circles = Vec::new();
    for start in next.keys() {
        // A path back to the start through siblings is a circle.
        let mut seen = BTreeSet::new();
        let mut stack: Vec<Vec<&ModulePath>> = vec![vec![start]];
        while let Some(path) = stack.pop() {
            let last = path[path.len() - 1];
            for &to in next.get(last).into_iter().flatten() {
                if to == *start {
                    let names: Vec<String> = path.iter().map(|m| m.join("::")).collect();
                    circles.push(format!("{} -> {}", names.join(" -> "), start.join("::")));
                } else if seen.insert(to) {
                    let mut longer = path.clone();
                    longer.push(to);
                    stack.push(longer);
                }
            }
        }
    }
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_reader_sees_arrows_and_resolves_super() {
    let modules: BTreeSet<ModulePath> = ["a", "a::b", "a::c", "a::c::d", "e"]
        .iter()
        .map(|m| path(m))
        .collect();
    let found = references(
        &path("a::c::d"),
        "use super::super::b::Thing;\nuse crate::{e::X, a::b};\n// crate::ignored\nfn f() { super::helper() }\nuse crate::a::Reexported;",
        &modules,
        &[((path("a"), "Reexported".to_owned()), path("a::c"))]
            .into_iter()
            .collect(),
    );
    let found: Vec<String> = found.iter().map(|m| m.join("::")).collect();
    assert_eq!(found, ["a::b", "e", "a::b", "a::c", "a::c"]);
}

/// Every arrow between sibling modules in `src/`, with the files that draw it.
struct Graph {
    modules: BTreeSet<ModulePath>,
    arrows: BTreeMap<(ModulePath, ModulePath), BTreeSet<String>>,
}

impl Graph {
    fn read() -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&root, &mut files);
        let sources: Vec<(ModulePath, String, String)> = files
            .iter()
            .filter(|file| !file.ends_with("main.rs") && !file.ends_with("lib.rs"))
            .map(|file| {
                let relative = file.strip_prefix(&root).unwrap();
                let mut module: ModulePath = relative
                    .with_extension("")
                    .iter()
                    .map(|part| part.to_string_lossy().into_owned())
                    .collect();
                if relative.ends_with("mod.rs") {
                    module.pop();
                }
                let text = std::fs::read_to_string(file).unwrap();
                (module, relative.display().to_string(), text)
            })
            .collect();
        let modules: BTreeSet<ModulePath> = sources.iter().map(|s| s.0.clone()).collect();
        let reexports = reexports(&sources, &modules);
        let mut arrows: BTreeMap<_, BTreeSet<String>> = BTreeMap::new();
        for (module, name, text) in &sources {
            for target in references(module, text, &modules, &reexports) {
                let common = module
                    .iter()
                    .zip(&target)
                    .take_while(|(a, b)| a == b)
                    .count();
                if common == module.len() || common == target.len() {
                    continue; // a module and its own descendant or ancestor
                }
                let from = module[..=common].to_vec();
                let to = target[..=common].to_vec();
                arrows.entry((from, to)).or_default().insert(name.clone());
            }
        }
        Self { modules, arrows }
    }
}

/// The modules `text` (the source of `module`) names through `crate::`, `super::` and `self::`
/// paths, outside comments and its inline test module.
fn references(
    module: &ModulePath,
    text: &str,
    modules: &BTreeSet<ModulePath>,
    reexports: &Reexports,
) -> Vec<ModulePath> {
    let code: String = text
        .split("#[cfg(test)]\nmod tests {")
        .next()
        .unwrap_or_default()
        .lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut at = 0;
    while at < code.len() {
        let rest = &code[at..];
        let start = ["crate::", "super::", "self::"]
            .iter()
            .filter_map(|word| rest.find(word).map(|i| (i, *word)))
            .min();
        let Some((offset, word)) = start else { break };
        let begin = at + offset;
        let preceded_by_ident = begin > 0
            && (bytes[begin - 1].is_ascii_alphanumeric()
                || bytes[begin - 1] == b'_'
                || bytes[begin - 1] == b'$'
                || bytes[begin - 1] == b':');
        at = begin + word.len();
        if preceded_by_ident {
            continue;
        }
        let mut base: ModulePath = match word {
            "crate::" => Vec::new(),
            "super::" => module[..module.len().saturating_sub(1)].to_vec(),
            _ => module.clone(),
        };
        while code[at..].starts_with("super::") {
            base.pop();
            at += "super::".len();
        }
        for tail in tails(&code[at..]) {
            let mut target = base.clone();
            for segment in tail {
                target.push(segment);
                if !modules.contains(&target) {
                    let item = target.pop().unwrap_or_default();
                    // An item a folder re-exports from one of its own modules is that module's.
                    if let Some(origin) = reexports.get(&(target.clone(), item)) {
                        target = origin.clone();
                    }
                    break;
                }
            }
            if !target.is_empty() && target != *module {
                found.push(target);
            }
        }
    }
    found
}

/// The paths after `crate::`: one path, or each first path of a `{…}` list.
fn tails(text: &str) -> Vec<Vec<String>> {
    let path = |text: &str| -> Vec<String> {
        text.split("::")
            .map(|segment| {
                segment
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|segment| !segment.is_empty())
            .collect()
    };
    if let Some(list) = text.strip_prefix('{') {
        let end = list.find('}').unwrap_or(list.len());
        list[..end]
            .split(',')
            .map(|item| path(item.trim()))
            .collect()
    } else {
        vec![path(text)]
    }
}

fn rust_files(folder: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn path(text: &str) -> ModulePath {
    text.split("::").map(str::to_owned).collect()
}

fn join(files: &BTreeSet<String>) -> String {
    files.iter().cloned().collect::<Vec<_>>().join(", ")
}

/// Only the command line names its flags: the library says what to change, each face says how.
/// The curl command names curl's own options, which share some names.
#[test]
fn no_text_outside_the_command_line_names_a_flag() {
    let flags = certlens::cli::long_options();
    assert!(flags.iter().any(|f| f == "server-ca"), "{flags:?}");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    let mut found = Vec::new();
    for file in &files {
        let relative = file.strip_prefix(&root).unwrap();
        if relative.starts_with("cli") || relative.ends_with("report/curl.rs") {
            continue;
        }
        let text = std::fs::read_to_string(file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (number, line) in code.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for (at, _) in line.match_indices("--") {
                let word: String = line[at + 2..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '.')
                    .collect();
                let word = word.trim_end_matches('.');
                if flags.iter().any(|flag| flag == word) {
                    found.push(format!("{}:{}: --{word}", relative.display(), number + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "flags named outside cli/:\n{}",
        found.join("\n")
    );
}
