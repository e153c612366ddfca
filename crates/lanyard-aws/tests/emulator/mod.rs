//! A real idc-emulator process on 127.0.0.1 for the integration tests that talk to it: started
//! from the target folder beside the test binary, its first stdout line read for its address
//! (and its CA with `--tls`), killed when dropped.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A running emulator.
pub(crate) struct Emulator {
    child: Child,
    /// Its base URL (`http://127.0.0.1:PORT`, or https with `--tls`).
    pub(crate) url: String,
    /// The CA that signed its certificate, with `--tls` (read by the TLS tests only).
    #[allow(dead_code)]
    pub(crate) ca: Option<PathBuf>,
}

impl Drop for Emulator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Emulator {
    /// Starts one with these flags.
    pub(crate) fn start(flags: &[&str]) -> Emulator {
        // The test binary is target/debug/deps/<name>; the emulator is target/debug/idc-emulator.
        let exe = std::env::current_exe().expect("test exe");
        let bin: PathBuf = exe
            .parent()
            .and_then(|deps| deps.parent())
            .expect("target dir")
            .join(format!("idc-emulator{}", std::env::consts::EXE_SUFFIX));
        assert!(
            bin.exists(),
            "{} is missing: build it first (cargo build -p idc-emulator)",
            bin.display()
        );
        let mut child = Command::new(bin)
            .args(["--port", "0"])
            .args(flags)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start emulator");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("first line");
        let v: serde_json::Value = serde_json::from_str(&line).expect("listening line");
        let url = v["listening"].as_str().expect("url").to_owned();
        assert!(url.starts_with("http://127.0.0.1:") || url.starts_with("https://127.0.0.1:"));
        Emulator {
            child,
            url,
            ca: v["ca"].as_str().map(PathBuf::from),
        }
    }
}
