#!/usr/bin/env bash
# Installs what `make serve` and `make test` need and is missing, at the versions in
# tools/versions.env. Only the package registries are used (crates.io, npm, Debian).
#   scripts/install-tools.sh build   the share card's font, wasm32 target, trunk, wasm-bindgen-cli, wasm-opt
#   scripts/install-tools.sh test    the above, plus leptosfmt, Chromium + ChromeDriver, npm
#                                    packages, PostgreSQL and nginx (the server's suites)
#   scripts/install-tools.sh load    what `make load` runs: Debian's wrk, PostgreSQL and nginx
set -euo pipefail
cd "$(dirname "$0")/.."
. tools/versions.env
mode="${1:-build}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/node_modules/.bin:$PATH"

say() { printf '==> %s\n' "$*"; }
fail() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Versions are chosen in tools/versions.env; the files that repeat them must agree.
grep -q "^wasm-bindgen = \"=$WASM_BINDGEN_VERSION\"" Cargo.toml \
  || fail "Cargo.toml must pin wasm-bindgen = \"=$WASM_BINDGEN_VERSION\" (tools/versions.env)"
grep -q "^wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml \
  || fail "Trunk.toml [tools] wasm_bindgen must be \"$WASM_BINDGEN_VERSION\" (tools/versions.env)"
grep -q "^wasm_opt = \"version_${BINARYEN_VERSION%%.*}\"" Trunk.toml \
  || fail "Trunk.toml [tools] wasm_opt must be \"version_${BINARYEN_VERSION%%.*}\" (tools/versions.env)"
grep -q "\"binaryen\": \"$BINARYEN_VERSION\"" package.json \
  || fail "package.json must pin binaryen $BINARYEN_VERSION (tools/versions.env)"

has_version() { # command, expected version substring
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q -- "$2"
}

# Debian packages: apt_install WHAT PACKAGE... (as root; otherwise says how).
apt_install() {
  local what="$1"; shift
  [ "$(id -u)" = 0 ] || fail "$what is missing. Install it once with: sudo apt-get install $*"
  say "installing Debian's $*"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends "$@" \
    || { apt-get update && apt-get install -y --no-install-recommends "$@"; }
}
# PostgreSQL (scripts/with-postgres.sh starts a throwaway cluster of it) and nginx (in front of
# two instances): for the server's suites and `make load`.
servers() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install PostgreSQL postgresql
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || apt_install nginx nginx
}

if [ "$mode" = load ]; then
  command -v wrk >/dev/null 2>&1 || apt_install wrk wrk
  servers
  exit 0
fi

# The share card's font: the prerender step of every build draws the card (src/bin/prerender.rs).
if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ]; then
  [ "$(id -u)" = 0 ] || fail "The share card's font is missing. Install it once with: sudo apt-get install fonts-dejavu-core"
  say "installing Debian's fonts-dejavu-core (the share card's font)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends fonts-dejavu-core \
    || { apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core; }
fi
if ! rustup target list --installed | grep -q '^wasm32-unknown-unknown$'; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if ! has_version trunk "trunk $TRUNK_VERSION"; then
  say "installing trunk $TRUNK_VERSION (about 8 minutes, once)"
  cargo install trunk --version "=$TRUNK_VERSION" --locked
fi
if ! has_version wasm-bindgen "wasm-bindgen $WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION"
fi

# npm packages, pinned by package-lock.json: wasm-opt (binaryen) and the browser suite.
if [ ! -x node_modules/.bin/wasm-opt ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages from package-lock.json"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
fi

[ "$mode" = test ] || exit 0

if ! has_version leptosfmt "$LEPTOSFMT_VERSION"; then
  say "installing leptosfmt $LEPTOSFMT_VERSION"
  cargo install leptosfmt --version "=$LEPTOSFMT_VERSION" --locked
fi
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  if [ "$(id -u)" = 0 ]; then
    say "installing Debian's chromium and chromium-driver"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends chromium chromium-driver \
      || { apt-get update && apt-get install -y --no-install-recommends chromium chromium-driver; }
  else
    fail "Chromium is missing. Install it once with: sudo apt-get install chromium chromium-driver"
  fi
fi
servers
