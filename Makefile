# The README's commands. `make serve` and `make test` install what they need first.
SHELL := /bin/bash
# Tools that `cargo install` puts in $CARGO_HOME/bin (~/.cargo/bin unless set), then npm's.
CARGO_DIR := $(or $(CARGO_HOME),$(HOME)/.cargo)
export PATH := $(CARGO_DIR)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
# The wasm names the source files of its panic locations: relative to the crates' own
# directories, not to where this machine keeps them (rustc's --remap-path-prefix), so the
# wasm's size does not grow with the length of CARGO_HOME. Cargo adds these to
# .cargo/config.toml's flags for wasm32.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS := --remap-path-prefix=$(CARGO_DIR)/registry/src/= \
  --remap-path-prefix=$(shell rustc --print sysroot)/lib/rustlib/src/rust/=
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
export CHROMEDRIVER := /usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT := 120
WASM := --target wasm32-unknown-unknown
# The server's suites that run on both engines (the others check SQLite's file itself).
POSTGRES_SUITES := api concurrency durability proxy confirm openapi
.PHONY: serve test build size dev bench load tools tools-test check-format lint unit wasm-test e2e server fmt postgres-suites

## serve: the app with the demo backend on http://127.0.0.1:8080, reloading on changes
serve: tools
	trunk serve

## dev: the release build served by the reference server on http://127.0.0.1:8787 with a
## fresh SQLite file (target/dev.sqlite), confirming signatures by e-mail through a local mail
## catcher whose page, http://127.0.0.1:1080, shows every mail: sign, open the mail, tap
dev: build
	cargo build -p petitie-server
	rm -f target/dev.sqlite target/dev.sqlite-wal target/dev.sqlite-shm
	@echo "The mails: http://127.0.0.1:1080   The petition: http://127.0.0.1:8787"
	maildev --ip 127.0.0.1 --web-ip 127.0.0.1 --smtp 1025 --web 1080 & trap "kill $$!" EXIT; \
	target/debug/petitie-server --listen 127.0.0.1:8787 --db target/dev.sqlite --static dist \
	  --allow-origin http://127.0.0.1:8080 --rate-limit-per-minute 30 \
	  --confirm-by-email --smtp-url smtp://127.0.0.1:1025 \
	  --mail-from "Het Vergeten Kind <petitie@localhost>" --public-url http://127.0.0.1:8787/

## test: everything CI checks, from a fresh machine
test: tools-test
	cargo fetch --locked
	$(MAKE) --no-print-directory check-format lint unit wasm-test build size e2e

## build: the release build in dist/
build: tools
	trunk build --release --offline

## size: raw, gzip and brotli bytes of dist/, failing above budget.json
size:
	@test -f dist/index.html || $(MAKE) --no-print-directory build
	node scripts/size.mjs dist

## bench: sizes, Lighthouse (mobile, slow 4G, 3 runs on / and /embed) and long tasks of the
## release build, served locally with brotli
bench: tools-test
	$(MAKE) --no-print-directory build
	node scripts/bench.mjs

## load: the release server with 1,000,000 signatures under wrk: count reads and signatures
## per second with p50 and p99 (3 runs of 10 s each; LOAD_RUNS, LOAD_SECONDS), on SQLite, on
## PostgreSQL, and as two instances on PostgreSQL behind nginx; then with confirmation by
## e-mail, and kill -9 of one of two instances behind nginx while supporters sign
load:
	@scripts/install-tools.sh load
	scripts/load/run.sh

tools:
	@scripts/install-tools.sh build

tools-test:
	@scripts/install-tools.sh test

fmt:
	cargo fmt --all
	leptosfmt --quiet src

check-format:
	cargo fmt --all -- --check
	leptosfmt --check src

lint:
	cargo clippy -p petitie $(WASM) --all-targets -- -D warnings
	cargo clippy -p petitie --no-default-features --features ssr --lib --bins -- -D warnings
	cargo clippy -p petitie-core $(WASM) --lib -- -D warnings
	cargo clippy -p petitie-core -p petitie-server --all-targets --all-features -- -D warnings

# The app crate's tests run in the browser (wasm-test): natively it has none to run, and
# building it for them cost a native build of the framework.
## unit: the native tests, and the server's suites again on PostgreSQL (a throwaway cluster,
## scripts/with-postgres.sh), with two instances behind nginx (tests/instances.rs)
unit:
	cargo test --workspace --exclude petitie
	scripts/with-postgres.sh $(MAKE) --no-print-directory postgres-suites

# The server's suites on the cluster of scripts/with-postgres.sh; the instances' tests one at a
# time (each runs several servers, one of them nginx and eight supporters).
postgres-suites:
	cargo test -p petitie-server $(addprefix --test ,$(POSTGRES_SUITES))
	cargo test -p petitie-server --test instances -- --test-threads=1

wasm-test:
	cargo test -p petitie $(WASM)

e2e:
	@test -f dist/index.html || $(MAKE) --no-print-directory build
	# The same app built for hosting under /petitie/ (tests/e2e/base-path.spec.mjs).
	trunk build --release --offline --public-url /petitie/ --dist target/dist-base
	cargo build -p petitie-server
	playwright test
