//! Fuzz target: parse → print is the identity and nothing panics (see check.rs).
#![no_main]

include!("check.rs");

libfuzzer_sys::fuzz_target!(|data: &[u8]| check(data));
