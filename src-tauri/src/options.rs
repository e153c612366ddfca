//! Command-line options of `lanyard-app`. Parsed by hand: there is one flag, and the same parser
//! reads the arguments a second launch forwards through the single-instance plugin.

/// How the app was asked to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StartOptions {
    /// `--hidden`: start with only the tray icon, no window (what autostart passes).
    pub hidden: bool,
}

/// The flag autostart passes so a login start does not pop a window up.
pub const HIDDEN_FLAG: &str = "--hidden";

impl StartOptions {
    /// Reads the options from arguments *without* the program name. Unknown arguments are
    /// ignored (desktop launchers may append `%U`-style arguments).
    pub fn parse<I, S>(args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        StartOptions {
            hidden: args.into_iter().any(|a| a.as_ref() == HIDDEN_FLAG),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_only_when_the_flag_is_given() {
        assert!(!StartOptions::parse(Vec::<String>::new()).hidden);
        assert!(StartOptions::parse(["--hidden"]).hidden);
        assert!(StartOptions::parse(["x", "--hidden"]).hidden);
        assert!(!StartOptions::parse(["--hidden=no", "-h"]).hidden);
    }
}
