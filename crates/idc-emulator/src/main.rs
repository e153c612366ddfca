//! idc-emulator: an IAM Identity Center on 127.0.0.1 (filled in by the emulator issue).

fn main() {
    eprintln!("idc-emulator: not implemented yet");
    std::process::exit(3);
}
