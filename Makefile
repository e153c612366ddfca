# Lanyard's entry points. `make demo` to see it, `make test` to test it; both install what is
# missing first (scripts/deps.sh). `make help` lists the rest.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
PY := tests/.venv/bin/python
TARGET := target/debug
# One feature set for build, test and clippy, so nothing is compiled twice: the app always
# embeds the UI (custom-protocol), never a dev server.
FEATURES := --workspace --features lanyard-app/custom-protocol

.PHONY: help deps ui ui-fixtures build demo run test test-rust test-ui test-py test-e2e test-bundle test-fuzz-build lint fmt bench bundle fuzz ci icons

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

deps: ## install what is missing (Debian packages, npm packages, tests/.venv, tauri-driver)
	@scripts/deps.sh

ui: ## build the UI into ui/dist (embedded in the app binary)
	npm --workspace ui run build

build: deps ui ## build every binary (debug)
	$(CARGO) build $(FEATURES)

demo: build ## run the app against a sandbox HOME (nothing of your ~/.aws is touched)
	scripts/demo.sh

run: build ## run the app on your real ~/.aws
	$(TARGET)/lanyard-app

test: build ## run every test: Rust, UI, interop (botocore), end-to-end
	$(MAKE) --no-print-directory test-rust test-ui test-py test-e2e test-bundle test-fuzz-build

test-rust:
	$(CARGO) test $(FEATURES)

# Unit and component tests (vitest), then the built window on the mock backend in Chromium:
# every page in both languages and themes, screenshots in tests/artifacts/ui/, axe-core scan.
test-ui:
	npm --workspace ui run test
	npm --workspace ui run build:mock
	npm --workspace tests run test:ui-mock

# The mock backend's fixtures, from the CLI's --json output against idc-emulator.
ui-fixtures:
	scripts/ui-fixtures.sh

test-py:
	$(PY) -m pytest tests -q

# The real app under Xvfb with its own D-Bus session per case (tray, window, WebDriver).
test-e2e:
	tests/e2e/run.sh $(TARGET)/lanyard-app

# The .deb of the debug binaries just built (the same bundler and desktop entry as make bundle's
# release one, packaged in seconds without compiling again), checked for both binaries.
test-bundle:
	rm -rf $(TARGET)/bundle/deb
	npx tauri bundle --debug --bundles deb --config tests/e2e/debug-bundle.conf.json
	tests/e2e/check-deb.sh $(TARGET)/bundle/deb/Lanyard_*.deb

# The fuzz target must keep building (cargo-fuzz, no sanitizer: stable compiler).
test-fuzz-build:
	cd crates/aws-config-edit && cargo fuzz build -s none

lint: deps ui ## formatting, clippy (warnings are errors), svelte-check
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy $(FEATURES) --all-targets -- -D warnings
	npm --workspace ui run check

fmt: ## format the Rust code
	$(CARGO) fmt --all

bench: deps ## benchmarks, side by side with what users would pick instead
	bench/run

bundle: deps ui ## build the .deb (app and CLI) and check its contents
	npx tauri build --bundles deb --features custom-protocol
	E2E_DEB_GUI=1 tests/e2e/check-deb.sh

fuzz: deps ## run the config parser's fuzz target for a minute
	cd crates/aws-config-edit && cargo fuzz run parse_print -s none -- -max_total_time=$${FUZZ_SECONDS:-60}

icons: ## redraw the icons (deterministic; the committed ones must match)
	python3 icons/make-icons.py

ci: lint test ## what CI runs
