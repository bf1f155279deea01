#!/usr/bin/env bash
# Installs what the test suite needs beyond the JDK and Maven: Debian's Chromium and ChromeDriver,
# which the dashboard's browser test drives (/usr/bin/chromium, /usr/bin/chromedriver).
# Does nothing when they are already there; otherwise installs them with apt-get, as root or through sudo.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -eq 0 ]; then
    echo "test-deps: chromium and chromedriver are installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    as_root=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)
else
    echo "test-deps: missing ${missing[*]} and no root (nor passwordless sudo) to install them;" >&2
    echo "test-deps: install them with: apt-get install chromium chromium-driver" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null; then
    echo "test-deps: missing ${missing[*]}, and there is no apt-get to install them with (the tests expect Debian's packages)" >&2
    exit 1
fi

echo "test-deps: installing ${missing[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -q
"${as_root[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "test-deps: $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium ?'), $(/usr/bin/chromedriver --version 2>/dev/null | head -1)"
