#!/bin/sh
# The browser tests (test/browser) drive Debian's Chromium at /usr/bin/chromium through playwright-core;
# nothing downloads a browser of its own. This installs Debian's package when it is missing and the user may
# (root, or sudo without a password), and otherwise says exactly what to run.
set -eu
if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present) at /usr/bin/chromium"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "the browser tests need Chromium at /usr/bin/chromium (Debian's package chromium); install it, then run npm test" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root="sudo"
else
  echo "the browser tests need Debian's chromium: run  sudo apt-get update && sudo apt-get install -y chromium" >&2
  exit 1
fi
echo "installing Debian's chromium for the browser tests (apt-get) …"
$as_root apt-get update -qq
DEBIAN_FRONTEND=noninteractive $as_root apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "chromium: $(/usr/bin/chromium --version 2>/dev/null) at /usr/bin/chromium"
