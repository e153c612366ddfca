# LANYARD_LANG overrides the OS language, and without it the OS language (LANG) is used: seen in
# the tray menu (built from the same catalogs) and in the window.
run_case() {
  start_xvfb
  start_tray_host
  start_notifications

  LANG=en_US.UTF-8 LC_ALL= LANYARD_LANG=zh-TW start_app --hidden
  expect_tray "尚未設定任何工作階段|設定檔：default|複製憑證（環境變數格式）|開啟主控台|開啟 Lanyard|結束" "LANYARD_LANG=zh-TW with LANG=en_US"
  tray click "結束" || fail "cannot click Quit (結束)"
  wait_exit "$APP_PID" 20 || fail "Quit did not end the app"

  LANG=zh_TW.UTF-8 LC_ALL= LANYARD_LANG= start_app --hidden
  expect_tray "尚未設定任何工作階段|設定檔：default|複製憑證（環境變數格式）|開啟主控台|開啟 Lanyard|結束" "LANG=zh_TW.UTF-8, no LANYARD_LANG"
  tray click "結束" || fail "cannot click Quit (結束)"
  wait_exit "$APP_PID" 20 || fail "Quit did not end the app"

  LANG=zh_TW.UTF-8 LC_ALL= LANYARD_LANG=en start_app --hidden
  expect_tray "No sessions configured|Profile: default|Copy credentials as env|Open console|Open Lanyard|Quit" "LANYARD_LANG=en with LANG=zh_TW"
  tray click "Quit" || fail "cannot click Quit"
  wait_exit "$APP_PID" 20 || fail "Quit did not end the app"

  # The window follows the same choice (WebDriver starts the app with this environment).
  LANG=en_US.UTF-8 LC_ALL= LANYARD_LANG=zh-TW start_webdriver
  webdriver lang-zh.mjs || fail "the window did not open in zh-TW"
  local wid pid
  wid="$(find_window)" || fail "no Lanyard window"
  pid="$(timeout 10 xdotool getwindowpid "$wid")" || fail "the window has no _NET_WM_PID"
  tray click "結束" || fail "cannot click Quit (結束)"
  wait_for 20 "the app to exit after Quit" bash -c "! kill -0 $pid 2>/dev/null" ||
    fail "Quit did not end the process"
}

# expect_tray "LABEL|LABEL" DESCRIPTION: the menu of the app just started has these labels.
expect_tray() {
  tray wait 30 >/dev/null || fail "$2: the tray did not register"
  local labels
  labels="$(tray labels | paste -sd '|')"
  [[ "$labels" == "$1" ]] || fail "$2: tray menu is [$labels], want [$1]"
  log "$2: $labels"
}
