//! Which PKCS#11 modules to load: the one the user names, else the ones p11-kit has registered
//! (SoftHSM, OpenSC and ykcs11 drop a `*.module` file into its folders when installed).
//! See p11-kit's `pkcs11.conf(5)`.

use std::path::{Path, PathBuf};

/// The environment variable that names a module, like `--pkcs11-module`.
pub const MODULE_VARIABLE: &str = "CERTLENS_PKCS11_MODULE";

/// One module to load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleSpec {
    /// p11-kit's name for it (its `.module` file's name), or the path given.
    pub name: String,
    /// The shared library.
    pub path: PathBuf,
    /// Registered with p11-kit (else named by the user).
    pub registered: bool,
}

/// Where p11-kit looks for `.module` files, lowest precedence first.
fn config_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![
        PathBuf::from("/usr/share/p11-kit/modules"),
        PathBuf::from("/etc/pkcs11/modules"),
    ];
    let user = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".config")));
    if let Some(user) = user {
        dirs.push(user.join("pkcs11/modules"));
    }
    dirs
}

/// Where a module named without a folder is found (p11-kit's `p11_module_path`).
const MODULE_DIRS: &[&str] = &[
    "/usr/lib/x86_64-linux-gnu/pkcs11",
    "/usr/lib/aarch64-linux-gnu/pkcs11",
    "/usr/lib64/pkcs11",
    "/usr/lib/pkcs11",
    "/usr/local/lib/pkcs11",
];

/// The modules to load: `explicit` (or `CERTLENS_PKCS11_MODULE`) alone when given, else every
/// module p11-kit has registered for identities (trust-policy modules hold CA lists, not keys).
pub fn modules(explicit: Option<&Path>) -> Vec<ModuleSpec> {
    let named = explicit
        .map(Path::to_path_buf)
        .or_else(|| std::env::var_os(MODULE_VARIABLE).map(PathBuf::from));
    if let Some(path) = named {
        return vec![ModuleSpec {
            name: path.display().to_string(),
            path,
            registered: false,
        }];
    }
    let mut found: Vec<ModuleSpec> = Vec::new();
    for dir in config_dirs() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "module"))
            .collect();
        files.sort();
        for file in files {
            let Some(name) = file.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
                continue;
            };
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            // A later folder's file of the same name replaces an earlier one.
            found.retain(|m| m.name != name);
            if let Some(path) = module_of(&text) {
                found.push(ModuleSpec {
                    name,
                    path,
                    registered: true,
                });
            }
        }
    }
    found
}

/// The library a `.module` file names, unless it is a trust-policy module or is kept from
/// programs other than the ones it lists.
fn module_of(text: &str) -> Option<PathBuf> {
    let value = |key: &str| {
        text.lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(k, _)| k.trim() == key)
            .map(|(_, v)| v.trim().to_owned())
    };
    let listed = |key: &str| {
        value(key).map(|v| {
            v.split([',', ' '])
                .map(str::trim)
                .any(|program| program == "certlens")
        })
    };
    if value("trust-policy").is_some_and(|v| v == "yes")
        || listed("disable-in") == Some(true)
        || listed("enable-in") == Some(false)
    {
        return None;
    }
    let module = PathBuf::from(value("module")?);
    if module.is_absolute() {
        return Some(module);
    }
    MODULE_DIRS
        .iter()
        .map(|dir| Path::new(dir).join(&module))
        .find(|path| path.exists())
        .or(Some(module))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_files_are_read_as_p11_kit_reads_them() {
        assert_eq!(
            module_of("# comment\nmodule: /usr/lib/softhsm/libsofthsm2.so\n"),
            Some(PathBuf::from("/usr/lib/softhsm/libsofthsm2.so"))
        );
        assert_eq!(
            module_of("module: p11-kit-trust.so\ntrust-policy: yes\n"),
            None
        );
        assert_eq!(
            module_of("module: x.so\nenable-in: firefox, chromium\n"),
            None
        );
        assert_eq!(module_of("module: x.so\ndisable-in: certlens\n"), None);
        assert!(module_of("module: x.so\nenable-in: certlens\n").is_some());
        assert_eq!(module_of("priority: 1\n"), None);
    }
}
