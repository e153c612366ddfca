//! Command-line options of `lanyard-app`. Parsed by hand: there are two flags, and the same
//! parser reads the arguments a second launch forwards through the single-instance plugin.

/// How the app was asked to start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StartOptions {
    /// `--hidden`: start with only the tray icon, no window (what autostart passes).
    pub hidden: bool,
    /// `--window`: be the window process the tray process starts (see [`crate::window`]): the
    /// window only, no tray, no engine, no single-instance registration; it ends when its window
    /// closes or the tray process goes.
    pub window: bool,
}

/// The flag autostart passes so a login start does not pop a window up.
pub const HIDDEN_FLAG: &str = "--hidden";

/// The flag the tray process starts its window process with (internal).
pub const WINDOW_FLAG: &str = "--window";

impl StartOptions {
    /// Reads the options from arguments *without* the program name. Unknown arguments are
    /// ignored (desktop launchers may append `%U`-style arguments).
    pub fn parse<I, S>(args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut options = StartOptions::default();
        for arg in args {
            match arg.as_ref() {
                HIDDEN_FLAG => options.hidden = true,
                WINDOW_FLAG => options.window = true,
                _ => {}
            }
        }
        options
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

    #[test]
    fn window_only_when_the_flag_is_given() {
        assert!(!StartOptions::parse(["--hidden"]).window);
        assert!(StartOptions::parse(["--window"]).window);
        assert!(!StartOptions::parse(["--window=1", "window"]).window);
        assert_eq!(
            StartOptions::parse(["%U", "--window", "--hidden"]),
            StartOptions {
                hidden: true,
                window: true
            }
        );
    }
}
