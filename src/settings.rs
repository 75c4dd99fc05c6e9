//! What the window remembers between runs: recent files, the last URL and CA files, the
//! profile. Never a password, never key material.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::fields::Profile;

/// How many recent files are kept.
const RECENT: usize = 8;

/// The remembered settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Settings {
    /// Recently opened identity files, newest first.
    pub recent_files: Vec<PathBuf>,
    /// The last URL tested.
    pub last_url: String,
    /// The last CA files chosen.
    pub last_cas: Vec<PathBuf>,
    /// The last server CA file chosen.
    pub last_server_ca: Option<PathBuf>,
    /// The chosen profile.
    pub profile: Profile,
    /// The proxy choice of the live test: `environment`, `direct`, or a proxy URL (kept
    /// without credentials).
    pub proxy: String,
}

impl Settings {
    /// `~/.config/certlens/settings.json` (or the platform's equivalent).
    pub fn default_path() -> Option<PathBuf> {
        directories::ProjectDirs::from("dev", "Certlens", "certlens")
            .map(|dirs| dirs.config_dir().join("settings.json"))
    }

    /// Reads the settings; missing or unreadable files give the defaults.
    pub fn load(path: &Path) -> Self {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Writes the settings (creating the folder), readable by the user alone (0600 on Unix),
    /// through a temporary file renamed into place so that a crash never leaves half a file.
    /// URLs are written without credentials and without query parameters that look like
    /// secrets, whatever the caller put in; a URL that would still hold an `@` before its path
    /// is not written at all.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(dir)?;
        let mut kept = self.clone();
        kept.last_url = storable(without_secrets(&kept.last_url));
        // A proxy has no path: everything up to its last `@` is credentials.
        kept.proxy = storable(without_secrets(&without_userinfo(&kept.proxy)));
        // NamedTempFile creates the file with mode 0600 on Unix.
        let mut file = tempfile::NamedTempFile::new_in(dir)?;
        std::io::Write::write_all(
            &mut file,
            &serde_json::to_vec_pretty(&kept).unwrap_or_default(),
        )?;
        file.as_file().sync_all()?;
        file.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Puts `path` at the top of the recent files.
    pub fn remember_file(&mut self, path: &Path) {
        // The same file reached by another relative path is still the same file.
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.recent_files.retain(|p| p != &path);
        self.recent_files.insert(0, path);
        self.recent_files.truncate(RECENT);
    }
}

/// Query parameter names (or parts of them) that carry secrets.
const SECRET_PARAMETERS: [&str; 7] = [
    "token",
    "key",
    "secret",
    "signature",
    "password",
    "auth",
    "sig",
];

/// `url` as the settings file may hold it: nothing at all if an `@` is left before its path.
fn storable(url: String) -> String {
    let (_, rest) = url.split_once("://").unwrap_or(("", &url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        String::new()
    } else {
        url
    }
}

/// `text` without everything up to its last `@` ([`crate::probe::split_userinfo`]), whatever
/// a URL parser would make of it.
fn without_userinfo(text: &str) -> String {
    match crate::probe::split_userinfo(text.trim()) {
        (scheme, Some(_), rest) => format!("{scheme}{rest}"),
        _ => text.to_owned(),
    }
}

/// `url` without `user:password@` and without query parameters whose names look like secrets
/// (token, key, secret, signature, password, auth). Text that is not a URL with a host loses
/// everything up to its last `@` (`alice:pw@proxy:3128` is kept as `proxy:3128`).
pub fn without_secrets(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url.trim()) else {
        return without_userinfo(url);
    };
    if !parsed.has_host() {
        return without_userinfo(url);
    }
    let _ = parsed.set_username("");
    let _ = parsed.set_password(None);
    if parsed.query().is_some() {
        let kept: Vec<(String, String)> = parsed
            .query_pairs()
            .filter(|(name, _)| {
                let name = name.to_ascii_lowercase();
                !SECRET_PARAMETERS.iter().any(|s| name.contains(s))
            })
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            parsed.set_query(None);
        } else {
            parsed.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    parsed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_keeps_recent_files_short() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/settings.json");
        let mut settings = Settings {
            last_url: "https://example.com/".into(),
            ..Settings::default()
        };
        for i in 0..12 {
            settings.remember_file(Path::new(&format!("/tmp/{i}.p12")));
        }
        settings.remember_file(Path::new("/tmp/3.p12"));
        assert_eq!(settings.recent_files.len(), RECENT);
        assert_eq!(settings.recent_files[0], Path::new("/tmp/3.p12"));
        settings.save(&path).unwrap();
        assert_eq!(Settings::load(&path), settings);
        assert_eq!(
            Settings::load(&dir.path().join("missing.json")),
            Settings::default()
        );
    }

    #[test]
    fn urls_are_kept_without_their_secrets() {
        for (given, kept) in [
            (
                "https://alice:pw@edge.example.com/echo?x-api-key=abc&case=7&access_token=t&X-Amz-Signature=s&sig=q",
                "https://edge.example.com/echo?case=7",
            ),
            (
                "https://edge.example.com/?Password=1&AUTH=2",
                "https://edge.example.com/",
            ),
            ("http://bob:s3cret@proxy:3128", "http://proxy:3128/"),
            ("environment", "environment"),
            ("alice:pw@proxy:3128", "proxy:3128"),
            (
                "https://u:pa/ss@edge.example.com/",
                "https://edge.example.com/",
            ),
        ] {
            assert_eq!(without_secrets(given), kept, "{given}");
        }
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        Settings {
            last_url: "https://u:hunter2@edge.example.com/?token=hunter3".into(),
            proxy: "http://u:hunter4@proxy:3128".into(),
            ..Settings::default()
        }
        .save(&path)
        .unwrap();
        let written = std::fs::read_to_string(&path).unwrap();
        assert!(!written.contains("hunter"), "{written}");
        // Proxy text that no URL parser reads as credentials: the password still goes.
        for proxy in [
            "alice:hunter5@proxy:3128",
            "http://u:hun/ter6@proxy:3128",
            "socks5://u:hun@ter7?#@proxy:1080",
        ] {
            Settings {
                proxy: proxy.into(),
                ..Settings::default()
            }
            .save(&path)
            .unwrap();
            let written = std::fs::read_to_string(&path).unwrap();
            assert!(!written.contains("hun"), "{proxy}: {written}");
            assert!(written.contains("proxy:"), "{proxy}: {written}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn the_settings_file_is_the_users_alone() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, "{}").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        Settings::default().save(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        // Nothing else is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
