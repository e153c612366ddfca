//! A snapshot of the environment variables Lanyard reads, so that every path and endpoint
//! decision can be tested with an injected environment instead of the process's own.

use std::collections::BTreeMap;
use std::ffi::OsString;

/// Environment variables, captured once. Tests build one with [`Env::from_pairs`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Env {
    vars: BTreeMap<String, OsString>,
}

impl Env {
    /// The current process's environment.
    pub fn from_process() -> Self {
        let vars = std::env::vars_os()
            .filter_map(|(k, v)| k.into_string().ok().map(|k| (k, v)))
            .collect();
        Env { vars }
    }

    /// An environment made of the given pairs only.
    pub fn from_pairs<K: Into<String>, V: Into<OsString>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }

    /// A variable's value, if set and non-empty (an empty variable counts as unset, as in the
    /// XDG base directory rules and in botocore).
    pub fn get(&self, key: &str) -> Option<&OsString> {
        self.vars.get(key).filter(|v| !v.is_empty())
    }

    /// A variable's value as UTF-8 text, if set, non-empty and valid UTF-8.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(|v| v.to_str())
    }

    /// Sets a variable (for tests and for deriving environments).
    pub fn set(&mut self, key: impl Into<String>, value: impl Into<OsString>) {
        self.vars.insert(key.into(), value.into());
    }
}
/// The `lanyard` executable a secure profile's `credential_process` runs: this program when it
/// is `lanyard`, else (the desktop app) the `lanyard` installed beside it.
pub fn lanyard_executable() -> std::path::PathBuf {
    let name = format!("lanyard{}", std::env::consts::EXE_SUFFIX);
    match std::env::current_exe() {
        Ok(exe) if exe.file_name().is_some_and(|n| n == name.as_str()) => exe,
        Ok(exe) => exe.with_file_name(name),
        Err(_) => std::path::PathBuf::from(name),
    }
}

/// The profile tools use when none is named: `AWS_PROFILE`, then `AWS_DEFAULT_PROFILE`, then
/// `default` (PROTOCOL §5).
pub fn profile_in_force(env: &Env) -> String {
    env.get_str("AWS_PROFILE")
        .or_else(|| env.get_str("AWS_DEFAULT_PROFILE"))
        .unwrap_or("default")
        .to_owned()
}
