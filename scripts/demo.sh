#!/usr/bin/env bash
# make demo: the app in a sandbox HOME, so a new user sees the product without an AWS account
# and without touching their own ~/.aws. The sandbox lives in target/demo-home and is kept
# between runs (delete it to start over).
set -euo pipefail
cd "$(dirname "$0")/.."
home="$PWD/target/demo-home"
mkdir -p "$home/.aws"
echo "[demo] sandbox HOME: $home"
exec env HOME="$home" AWS_CONFIG_FILE="$home/.aws/config" \
  AWS_SHARED_CREDENTIALS_FILE="$home/.aws/credentials" target/debug/lanyard-app
