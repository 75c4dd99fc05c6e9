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

    /// Writes the settings (creating the folder).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, serde_json::to_vec_pretty(self).unwrap_or_default())
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
}
