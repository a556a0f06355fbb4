#!/usr/bin/env bash
# A real Home Assistant core for the Home Assistant plug-in's tests, in its own venv
# (.venv-homeassistant/, gitignored), installed from requirements/homeassistant.txt: exact
# versions with hashes. Only the first run on a machine pays (about 3-4 minutes, 780 MB);
# later runs see the stamp and do nothing.
#
#   scripts/homeassistant.sh          install if missing; print the path of `hass`
#   scripts/homeassistant.sh --lock   refresh requirements/homeassistant.txt from homeassistant.in
#
# 2024.3.3 is the last Home Assistant release that runs on Python 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=".venv-homeassistant"
lock="requirements/homeassistant.txt"

if [ "${1:-}" = "--lock" ]; then
  # Only PyPI, as scripts/lock.sh: no local index may leak into the lock.
  unset UV_INDEX UV_INDEX_URL UV_EXTRA_INDEX_URL UV_FIND_LINKS UV_DEFAULT_INDEX UV_CONSTRAINT UV_OVERRIDE
  # Home Assistant's own pins (package_constraints.txt in its wheel) hold every shared package.
  .tools/bin/uv pip compile requirements/homeassistant.in \
    -c requirements/homeassistant-constraints.txt \
    --quiet --no-config --generate-hashes --index-url https://pypi.org/simple \
    --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
    --custom-compile-command "scripts/homeassistant.sh --lock" -o "$lock"
  echo "Locked: $lock ($(grep -c '^[A-Za-z]' "$lock") packages)"
  exit 0
fi

python="${PYTHON:-python3}"
digest="$(sha256sum "$lock" | cut -c1-16)"
stamp="$venv/.installed-$digest"
if [ ! -f "$stamp" ]; then
  if ! "$python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "Home Assistant 2024.3.3 needs Python 3.11; $python is $("$python" --version)." >&2
    exit 3
  fi
  echo "Installing Home Assistant 2024.3.3 into $venv (first run only: a few minutes)" >&2
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --require-hashes --no-deps -r "$lock" >&2
  rm -f "$venv"/.installed-*
  touch "$stamp"
fi
echo "$PWD/$venv/bin/hass"
