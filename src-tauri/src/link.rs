//! The channel between the tray process and its window process: the window process's stdin
//! (tray → window) and stdout (window → tray), one JSON message per line. A pipe is private to
//! the two processes (nothing else can read or inject), needs no file, socket or bus name, works
//! on every OS, and tells each side when the other is gone (end of file). Nothing secret crosses
//! it: device user codes and verification URLs are meant to be read by the person; tokens never
//! leave lanyard-core's files.

use std::io::{self, BufRead, Write};

use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::i18n::Language;
use crate::state::{Area, DeviceCode, SignInDone};
use crate::tray_model::TrayAction;

/// What the tray process tells its window process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ToWindow {
    /// The first line: the live state the window shows from the start.
    #[serde(rename_all = "camelCase")]
    Hello {
        /// The tray's language.
        language: Language,
        /// Whether a tray host runs (if not, closing the window quits Lanyard).
        tray_available: bool,
        /// The device sign-ins already waiting for their code.
        device_sign_ins: Vec<DeviceCode>,
    },
    /// Open Lanyard again (tray item, second launch): come to the front.
    Raise,
    /// A device sign-in started (the window's `device-code` event).
    DeviceCode(DeviceCode),
    /// A sign-in ended, either way (the window's `sign-in-done` event).
    SignInDone(SignInDone),
    /// What the window shows changed (the tray's engine saw it: a tray action, another
    /// program, the window's own action coming back): the window's `state-changed` event.
    Changed {
        /// The areas that changed.
        what: Vec<Area>,
    },
}

/// What the window process tells the tray process. Actions a person starts in the window that
/// must outlive it (a sign-in waiting for its browser confirmation, say) belong here too, so they
/// run in the tray process, which owns the notifications and stays when the window closes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ToTray {
    /// The window switched the language: the tray follows.
    Language {
        /// The new language.
        language: Language,
    },
    /// A tray action started in the window (sign in, sign out, sign in to all...): it runs in
    /// the tray process, whose engine owns sign-ins and notifications.
    Action {
        /// The action.
        action: TrayAction,
    },
    /// Something changed on disk by the window's doing: reload now.
    Reload,
}

/// Writes `message` as one line and flushes it.
pub fn write<W: Write, T: Serialize>(out: &mut W, message: &T) -> io::Result<()> {
    let mut line = serde_json::to_vec(message).map_err(io::Error::other)?;
    line.push(b'\n');
    out.write_all(&line)?;
    out.flush()
}

/// Reads the next message; `Ok(None)` at end of file. A line that is not a message (a stray
/// print of some library on the same stream) is logged and skipped.
pub fn read<R: BufRead, T: DeserializeOwned>(input: &mut R) -> io::Result<Option<T>> {
    let mut line = String::new();
    loop {
        line.clear();
        if input.read_line(&mut line)? == 0 {
            return Ok(None);
        }
        match serde_json::from_str(line.trim_end()) {
            Ok(message) => return Ok(Some(message)),
            Err(e) => {
                tracing::warn!(error = %e, bytes = line.len(), "skipping a line that is not a message")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(session: &str) -> DeviceCode {
        DeviceCode {
            session: session.into(),
            user_code: "ABCD-EFGH".into(),
            verification_uri: "https://device.example/".into(),
            verification_uri_complete: "https://device.example/?user_code=ABCD-EFGH".into(),
        }
    }

    #[test]
    fn messages_cross_in_order_one_per_line() {
        let sent = vec![
            ToWindow::Hello {
                language: Language::ZhTw,
                tray_available: true,
                device_sign_ins: vec![code("lab")],
            },
            ToWindow::Raise,
            ToWindow::DeviceCode(code("corp")),
            ToWindow::SignInDone(SignInDone {
                session: "corp".into(),
                ok: false,
                code: Some("access_denied".into()),
            }),
            ToWindow::Changed {
                what: vec![Area::Sessions, Area::Profiles],
            },
        ];
        let mut pipe = Vec::new();
        for m in &sent {
            write(&mut pipe, m).expect("write");
        }
        assert_eq!(pipe.iter().filter(|b| **b == b'\n').count(), sent.len());
        let mut input = io::Cursor::new(pipe);
        let mut got = Vec::new();
        while let Some(m) = read::<_, ToWindow>(&mut input).expect("read") {
            got.push(m);
        }
        assert_eq!(got, sent);
    }

    #[test]
    fn the_wire_format_is_tagged_camel_case_json() {
        let mut out = Vec::new();
        write(
            &mut out,
            &ToTray::Language {
                language: Language::ZhTw,
            },
        )
        .expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "{\"type\":\"language\",\"language\":\"zh-TW\"}\n"
        );
        let mut out = Vec::new();
        write(&mut out, &ToWindow::Raise).expect("write");
        assert_eq!(out, b"{\"type\":\"raise\"}\n");
    }

    /// Issue 20: what changed crosses tray → window as one tagged line, areas in camelCase.
    #[test]
    fn a_change_crosses_as_its_areas() {
        let mut out = Vec::new();
        let changed = ToWindow::Changed {
            what: vec![Area::Sessions, Area::Settings],
        };
        write(&mut out, &changed).expect("write");
        assert_eq!(
            String::from_utf8(out.clone()).expect("utf-8"),
            "{\"type\":\"changed\",\"what\":[\"sessions\",\"settings\"]}\n"
        );
        let back = read::<_, ToWindow>(&mut io::Cursor::new(out)).expect("read");
        assert_eq!(back, Some(changed));
        let mut out = Vec::new();
        write(&mut out, &ToTray::Reload).expect("write");
        assert_eq!(out, b"{\"type\":\"reload\"}\n");
    }

    #[test]
    fn stray_lines_are_skipped_and_end_of_file_is_none() {
        let mut input = io::Cursor::new(
            &b"Gtk-Message: hello\n\n{\"type\":\"raise\"}\n{\"type\":\"nope\"}\n"[..],
        );
        assert_eq!(
            read::<_, ToWindow>(&mut input).expect("read"),
            Some(ToWindow::Raise)
        );
        assert_eq!(read::<_, ToWindow>(&mut input).expect("read"), None);
    }
}
