#!/usr/bin/env bash
# Installs what building, running and testing Lanyard needs; idempotent and quiet when all is
# there. On Debian/Ubuntu it installs missing system packages with apt-get; elsewhere it prints
# exactly what to install. Then: npm packages (npm ci), the Python test venv (tests/.venv), and
# tauri-driver (cargo install --locked; never tauri-cli from crates.io, the npm one is used).
set -euo pipefail
cd "$(dirname "$0")/.."

# Build: WebKitGTK, GTK, the ayatana tray library, xdo, OpenSSL headers (docs: BUILD-NOTES §1),
# libdbus headers for secure mode's Secret Service client (keyring's sync-secret-service).
APT_BUILD=(libwebkit2gtk-4.1-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev libgtk-3-dev
  libayatana-appindicator3-dev librsvg2-dev libxdo-dev libssl-dev libdbus-1-dev build-essential
  pkg-config file)
# Test: a display, a session bus, a tray host, a notification daemon, a keyring, WebDriver,
# X tools, a browser for the mocked-UI tests, Python with dbus bindings, clipboard, curl, and a
# small CJK font so the window is drawn in Traditional Chinese (not boxes) on a bare machine.
APT_TEST=(xvfb xauth x11-utils imagemagick dbus dbus-x11 dunst libnotify-bin gnome-keyring
  libsecret-tools webkit2gtk-driver keyutils xdotool haskell-status-notifier-item-utils chromium
  python3 python3-venv python3-dbus xclip curl git fonts-wqy-microhei)

say() { printf '[deps] %s\n' "$*" >&2; }

system_packages() {
  if [ -r /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; then
    local missing=() p
    for p in "${APT_BUILD[@]}" "${APT_TEST[@]}"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -eq 0 ]; then
      return 0
    fi
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
      command -v sudo >/dev/null 2>&1 || { say "need root or sudo to install: ${missing[*]}"; exit 1; }
      sudo=sudo
    fi
    say "installing Debian packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    case "$(uname -s)" in
      Darwin) say "macOS: install Xcode command-line tools (xcode-select --install), Rust (rustup), Node.js >= 20.19 and Python 3; the end-to-end GUI tests run on Linux only." ;;
      *) say "not Debian/Ubuntu: install the equivalents of: ${APT_BUILD[*]} ${APT_TEST[*]}; plus Rust (rustup) and Node.js >= 20.19." ;;
    esac
  fi
}

toolchains() {
  command -v cargo >/dev/null 2>&1 || { say "Rust is missing: install it with rustup (https://rustup.rs)"; exit 1; }
  command -v node >/dev/null 2>&1 || { say "Node.js is missing: install Node.js >= 20.19"; exit 1; }
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || { say "Node.js $(node --version) is too old: Vite 8 needs >= 20.19"; exit 1; }
}

npm_packages() {
  # npm ci wipes node_modules; run it only when the lock file changed since the last install.
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

python_venv() {
  local stamp=tests/.venv/.requirements-installed
  if [ ! -x tests/.venv/bin/python ]; then
    say "creating tests/.venv"
    python3 -m venv tests/.venv
  fi
  if [ ! -f "$stamp" ] || [ tests/requirements.txt -nt "$stamp" ]; then
    say "installing botocore, boto3 and pytest into tests/.venv"
    tests/.venv/bin/pip install -q --disable-pip-version-check -r tests/requirements.txt
    touch "$stamp"
  fi
}

cargo_tools() {
  local bin="${CARGO_HOME:-$HOME/.cargo}/bin"
  if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$bin/tauri-driver" ]; then
    say "cargo install tauri-driver --locked"
    cargo install tauri-driver --locked --quiet
  fi
  if ! command -v cargo-fuzz >/dev/null 2>&1 && [ ! -x "$bin/cargo-fuzz" ]; then
    say "cargo install cargo-fuzz --locked"
    cargo install cargo-fuzz --locked --quiet
  fi
}

what="${1:-all}"
case "$what" in
  system) system_packages ;;
  all) system_packages; toolchains; npm_packages; python_venv; cargo_tools ;;
  *) say "usage: scripts/deps.sh [all|system]"; exit 2 ;;
esac
