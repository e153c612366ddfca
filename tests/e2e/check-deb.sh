#!/usr/bin/env bash
# Checks the .deb that `make bundle` (npx tauri build --bundles deb) produced: it must install
# lanyard-app and the lanyard CLI on PATH and a desktop entry for the app, and declare the
# libraries the app loads at run time. `make bundle` runs it on the release
# .deb; `make test` on a .deb of the debug build made by `tauri bundle --debug` (no recompile).
#
# Usage: tests/e2e/check-deb.sh [PATH/TO/Lanyard_*.deb]   (default: the newest under target/release/bundle/deb)
# With E2E_DEB_GUI=1 it also runs the tray_window end-to-end case against the packaged binary.
set -uo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$E2E_DIR/../.." && pwd)"
deb="${1:-$(ls -t "$REPO"/target/release/bundle/deb/Lanyard_*.deb 2>/dev/null | head -n1)}"
[[ -n "$deb" && -f "$deb" ]] || { echo "error: no Lanyard_*.deb found; run make bundle" >&2; exit 2; }
[[ "$(basename "$deb")" == Lanyard_*.deb ]] || { echo "error: $deb is not named Lanyard_*.deb" >&2; exit 1; }

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "PASS  $*"; }
ko() { failed=$((failed + 1)); echo "FAIL  $*"; }
check() { local what="$1"; shift; if "$@"; then ok "$what"; else ko "$what"; fi; }

contents="$(dpkg-deb -c "$deb")" || { echo "error: dpkg-deb cannot read $deb" >&2; exit 1; }
# dpkg-deb -c lists paths as ./usr/... or usr/... depending on how the archive was made.
has() { grep -qE "^-rwxr-xr-x .* (\./)?$1\$" <<<"$contents"; }
has_file() { grep -qE "^-[rwx-]{9} .* (\./)?$1\$" <<<"$contents"; }
check "usr/bin/lanyard-app is in the package, executable" has usr/bin/lanyard-app
check "usr/bin/lanyard (CLI) is in the package, executable" has usr/bin/lanyard
check "a desktop entry usr/share/applications/Lanyard.desktop" has_file usr/share/applications/Lanyard.desktop
check "an app icon under usr/share/icons/hicolor" grep -qE '(\./)?usr/share/icons/hicolor/.*/apps/lanyard-app\.png$' <<<"$contents"

depends="$(dpkg-deb -f "$deb" Depends)"
check "Depends has libwebkit2gtk-4.1-0 ($depends)" grep -q 'libwebkit2gtk-4.1-0' <<<"$depends"
check "Depends has libayatana-appindicator3-1 (the tray library, loaded at run time)" \
  grep -q 'libayatana-appindicator3-1' <<<"$depends"

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
desktop="$root/usr/share/applications/Lanyard.desktop"
if [[ -f "$desktop" ]]; then
  check "desktop entry: Exec=lanyard-app" grep -qE '^Exec=lanyard-app( |$)' "$desktop"
  check "desktop entry: Name=Lanyard" grep -qx 'Name=Lanyard' "$desktop"
  check "desktop entry: Type=Application" grep -qx 'Type=Application' "$desktop"
  if command -v desktop-file-validate >/dev/null; then
    check "desktop entry validates" desktop-file-validate "$desktop"
  fi
fi
# The packaged CLI runs (what `lanyard` on PATH would do after dpkg -i).
check "packaged lanyard --version runs" bash -c "HOME='$root/home' '$root/usr/bin/lanyard' --version >/dev/null"

if [[ "${E2E_DEB_GUI:-0}" == 1 ]]; then
  if E2E_ARTIFACTS_DIR="$REPO/tests/artifacts/deb" "$E2E_DIR/run.sh" "$root/usr/bin/lanyard-app" tray_window; then
    ok "packaged lanyard-app passes the tray_window end-to-end case"
  else
    ko "packaged lanyard-app passes the tray_window end-to-end case"
  fi
fi

echo "$passed passed, $failed failed"
((failed == 0))
