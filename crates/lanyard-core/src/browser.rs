//! Opening a URL in the person's browser. `BROWSER` is honoured as Python's `webbrowser` (and so
//! the AWS CLI) honours it: a list of commands separated by the path separator, each split like
//! a shell would, `%s` replaced by the URL or the URL appended; the first that starts wins.
//! Otherwise the platform's opener (`xdg-open`, `open`, `start`). The process is not waited for.

use std::process::{Command, Stdio};

use crate::env::Env;

/// One command line with the URL in it: `%s` replaced, or the URL appended.
fn command_with_url(command: &str, url: &str) -> Option<Vec<String>> {
    let mut words = split_words(command)?;
    if words.is_empty() {
        return None;
    }
    if words.iter().any(|w| w.contains("%s")) {
        for w in &mut words {
            *w = w.replace("%s", url);
        }
    } else {
        words.push(url.to_owned());
    }
    Some(words)
}

/// The commands that would be tried for `url`, in order (program and arguments).
pub fn commands_for(env: &Env, url: &str) -> Vec<Vec<String>> {
    if let Some(list) = env.get_str("BROWSER") {
        let sep = if cfg!(windows) { ';' } else { ':' };
        return list
            .split(sep)
            .filter(|c| !c.trim().is_empty())
            .filter_map(|c| command_with_url(c, url))
            .collect();
    }
    let opener: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &["cmd", "/C", "start", ""]
    } else {
        &["xdg-open"]
    };
    let mut cmd: Vec<String> = opener.iter().map(|s| (*s).to_owned()).collect();
    cmd.push(url.to_owned());
    vec![cmd]
}

/// Opens `url`; whether a browser command could be started.
pub fn open(env: &Env, url: &str) -> bool {
    start_first(commands_for(env, url))
}

/// Opens `url` with `command` when one is configured (a browser profile or container for this
/// profile or session: one command, `%s` or appended, as a BROWSER entry), else as [`open`].
/// A configured command that cannot start is not replaced by another browser, which could be
/// signed in as someone else: the result is `false`.
pub fn open_with(env: &Env, command: Option<&str>, url: &str) -> bool {
    match command {
        Some(c) => start_first(command_with_url(c, url).into_iter().collect()),
        None => open(env, url),
    }
}

fn start_first(commands: Vec<Vec<String>>) -> bool {
    for cmd in commands {
        let Some((program, args)) = cmd.split_first() else {
            continue;
        };
        let started = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        match started {
            Ok(_child) => return true,
            Err(e) => tracing::debug!(program, error = %e, "browser command did not start"),
        }
    }
    false
}

/// Splits a command line into words as a POSIX shell would (quotes and backslashes), or `None`
/// when a quote is left open.
fn split_words(s: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => cur.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => cur.push(chars.next()?),
                        c => cur.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                cur.push(chars.next()?);
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_variable_is_a_list_with_percent_s_or_an_appended_url() {
        let env = Env::from_pairs([("BROWSER", "/opt/rec 'a b':firefox -P work %s")]);
        let words = |w: &[&str]| w.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            commands_for(&env, "https://x/?a=1"),
            vec![
                words(&["/opt/rec", "a b", "https://x/?a=1"]),
                words(&["firefox", "-P", "work", "https://x/?a=1"]),
            ]
        );
    }

    #[cfg(all(unix, not(target_os = "macos")))]
    #[test]
    fn without_browser_the_platform_opener_is_used() {
        assert_eq!(
            commands_for(&Env::default(), "u"),
            vec![vec!["xdg-open".to_owned(), "u".into()]]
        );
    }

    #[test]
    fn a_configured_command_is_used_alone() {
        let env = Env::from_pairs([("BROWSER", "true")]);
        assert!(open_with(
            &env,
            Some("true --profile work %s"),
            "https://x/"
        ));
        // No fallback to BROWSER when the configured command cannot start.
        assert!(!open_with(&env, Some("/nonexistent/browser"), "https://x/"));
        assert!(open_with(&env, None, "https://x/"));
    }

    #[test]
    fn a_command_that_cannot_start_falls_through_to_the_next() {
        let env = Env::from_pairs([("BROWSER", "/nonexistent/browser:true")]);
        assert!(open(&env, "https://example.invalid/"));
        let env = Env::from_pairs([("BROWSER", "/nonexistent/browser")]);
        assert!(!open(&env, "https://example.invalid/"));
    }
}
