//! The clipboard rule for the secrets Lanyard copies (role credentials, "Copy credentials"):
//! they are cleared after `clipboard_clear_after` (settings), and only if the clipboard still
//! holds what Lanyard put there — whatever the person copied since is theirs and is left alone
//! (compare, then clear). Pure: the clipboard and the time are handed in, so the app's tray
//! process gives the real ones and tests fake them. What was copied is kept as a SHA-256
//! digest, never as text.

use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

/// A clipboard that holds text.
pub trait Clipboard {
    /// The text it holds now; None when it holds none, or none can be read.
    fn text(&mut self) -> Option<String>;
    /// Empties it.
    fn clear(&mut self) -> Result<(), String>;
}

/// What a check of the clipboard did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing Lanyard copied is waiting to be cleared.
    Nothing,
    /// Not yet: its time has not come.
    NotYet,
    /// It still held what Lanyard copied, and is empty now.
    Cleared,
    /// It holds something else now (the person copied something): left as it is.
    LeftAlone,
    /// It still held what Lanyard copied but could not be emptied.
    Failed,
}

/// What Lanyard copied and when it is to go.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Copied {
    digest: [u8; 32],
    clear_at: OffsetDateTime,
}

/// The secret Lanyard last put on the clipboard, waiting to be cleared (one at a time: a new
/// copy replaces the older one, which the clipboard no longer holds anyway).
#[derive(Debug, Default)]
pub struct SecretClip {
    pending: Option<Copied>,
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

impl SecretClip {
    /// Records that `text` was put on the clipboard at `now`, to be cleared `after` then;
    /// returns when (None: never, `after` is zero).
    pub fn copied(
        &mut self,
        text: &str,
        now: OffsetDateTime,
        after: Duration,
    ) -> Option<OffsetDateTime> {
        if after <= Duration::ZERO {
            self.pending = None;
            return None;
        }
        let clear_at = now + after;
        self.pending = Some(Copied {
            digest: digest(text),
            clear_at,
        });
        Some(clear_at)
    }

    /// When what was copied is to be cleared, if anything waits.
    pub fn clear_at(&self) -> Option<OffsetDateTime> {
        self.pending.as_ref().map(|p| p.clear_at)
    }

    /// At `now`: once the time has come, empties `clipboard` if it still holds what was
    /// copied, and forgets it either way.
    pub fn check(&mut self, clipboard: &mut dyn Clipboard, now: OffsetDateTime) -> Outcome {
        let Some(p) = &self.pending else {
            return Outcome::Nothing;
        };
        if now < p.clear_at {
            return Outcome::NotYet;
        }
        let want = p.digest;
        self.pending = None;
        match clipboard.text() {
            Some(text) if digest(&text) == want => match clipboard.clear() {
                Ok(()) => Outcome::Cleared,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot clear the clipboard");
                    Outcome::Failed
                }
            },
            _ => Outcome::LeftAlone,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clipboard in memory that counts its clears.
    #[derive(Default)]
    struct Fake {
        text: Option<String>,
        clears: usize,
        refuse: bool,
    }

    impl Clipboard for Fake {
        fn text(&mut self) -> Option<String> {
            self.text.clone()
        }
        fn clear(&mut self) -> Result<(), String> {
            if self.refuse {
                return Err("busy".into());
            }
            self.clears += 1;
            self.text = None;
            Ok(())
        }
    }

    fn t0() -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_700_000_000).expect("time")
    }

    const SECRET: &str = "export AWS_SECRET_ACCESS_KEY=abc\n";

    #[test]
    fn what_lanyard_copied_is_cleared_once_its_time_has_come() {
        let mut clip = Fake {
            text: Some(SECRET.into()),
            ..Fake::default()
        };
        let mut rule = SecretClip::default();
        let at = rule.copied(SECRET, t0(), Duration::seconds(60));
        assert_eq!(at, Some(t0() + Duration::seconds(60)));
        assert_eq!(
            rule.check(&mut clip, t0() + Duration::seconds(59)),
            Outcome::NotYet
        );
        assert_eq!(clip.text.as_deref(), Some(SECRET), "not before its time");
        assert_eq!(
            rule.check(&mut clip, t0() + Duration::seconds(60)),
            Outcome::Cleared
        );
        assert_eq!((clip.text, clip.clears), (None, 1));
        assert_eq!(rule.clear_at(), None, "forgotten once done");
    }

    #[test]
    fn a_clipboard_the_person_changed_meanwhile_is_left_alone() {
        let mut clip = Fake::default();
        let mut rule = SecretClip::default();
        rule.copied(SECRET, t0(), Duration::seconds(5));
        clip.text = Some("my own notes".into());
        assert_eq!(
            rule.check(&mut clip, t0() + Duration::seconds(6)),
            Outcome::LeftAlone
        );
        assert_eq!(clip.text.as_deref(), Some("my own notes"));
        assert_eq!(clip.clears, 0);
        // An empty clipboard is not ours either: nothing to clear.
        rule.copied(SECRET, t0(), Duration::seconds(5));
        clip.text = None;
        assert_eq!(
            rule.check(&mut clip, t0() + Duration::seconds(6)),
            Outcome::LeftAlone
        );
        assert_eq!(clip.clears, 0);
    }

    #[test]
    fn zero_means_never_and_a_new_copy_replaces_the_older() {
        let mut clip = Fake {
            text: Some(SECRET.into()),
            ..Fake::default()
        };
        let mut rule = SecretClip::default();
        assert_eq!(rule.copied(SECRET, t0(), Duration::ZERO), None);
        assert_eq!(
            rule.check(&mut clip, t0() + Duration::days(1)),
            Outcome::Nothing
        );
        assert_eq!(clip.clears, 0);
        // Copied twice: the first timer finds the second copy not yet due.
        rule.copied("older", t0(), Duration::seconds(10));
        rule.copied(SECRET, t0() + Duration::seconds(8), Duration::seconds(10));
        assert_eq!(
            rule.check(&mut clip, t0() + Duration::seconds(10)),
            Outcome::NotYet
        );
        assert_eq!(
            rule.check(&mut clip, t0() + Duration::seconds(18)),
            Outcome::Cleared
        );
    }

    #[test]
    fn a_clear_that_fails_is_reported_and_forgotten() {
        let mut clip = Fake {
            text: Some(SECRET.into()),
            refuse: true,
            ..Fake::default()
        };
        let mut rule = SecretClip::default();
        rule.copied(SECRET, t0(), Duration::seconds(1));
        assert_eq!(
            rule.check(&mut clip, t0() + Duration::seconds(1)),
            Outcome::Failed
        );
        assert_eq!(
            rule.check(&mut clip, t0() + Duration::seconds(2)),
            Outcome::Nothing
        );
    }
}
