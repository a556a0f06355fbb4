#!/usr/bin/env bash
# The Wyoming peers the tests talk to (docs/wyoming.md): Piper, faster-whisper, openWakeWord
# and the reference satellite, each in its own venv under .venv-peers/ because they pin
# versions of wyoming (and numpy) that cannot share one environment with ours or each other.
#
#   scripts/peers.sh            make or update whatever venv is missing or stale (cached)
#   scripts/peers.sh --lock     refresh requirements/peers/*.txt from the *.in files
#
# Each venv installs from its lock with hashes and is stamped by the lock's digest, so a
# later run installs nothing. A peer that fails to install is reported and left out; the
# tests that need it skip and say which.
set -euo pipefail
cd "$(dirname "$0")/.."
peers=(piper whisper openwakeword satellite)

if [ "${1:-}" = "--lock" ]; then
  if [ ! -x .tools/bin/uv ]; then
    echo "The locking tool is missing: run scripts/lock.sh once (it installs uv into .tools/)." >&2
    exit 2
  fi
  unset UV_INDEX UV_INDEX_URL UV_EXTRA_INDEX_URL UV_FIND_LINKS UV_DEFAULT_INDEX UV_CONSTRAINT UV_OVERRIDE
  for peer in "${peers[@]}"; do
    .tools/bin/uv pip compile "requirements/peers/$peer.in" --quiet --no-config --generate-hashes \
      --index-url https://pypi.org/simple --python-version 3.11 \
      --python-platform x86_64-unknown-linux-gnu --custom-compile-command "scripts/peers.sh --lock" \
      -o "requirements/peers/$peer.txt"
  done
  exit 0
fi

python="${PYTHON:-python3}"
mkdir -p .venv-peers
failed=()
for peer in "${peers[@]}"; do
  venv=".venv-peers/$peer"
  lock="requirements/peers/$peer.txt"
  stamp="$venv/.installed-$(sha256sum "$lock" | cut -c1-16)"
  [ -f "$stamp" ] && continue
  echo "Installing the Wyoming peer '$peer' into $venv (once; cached for later runs)"
  rm -rf "$venv"
  if "$python" -m venv "$venv" &&
    "$venv/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"; then
    touch "$stamp"
  else
    failed+=("$peer")
    rm -rf "$venv"
  fi
done
if ((${#failed[@]})); then
  echo "Could not install the Wyoming peers: ${failed[*]}. Their tests will be skipped;" \
    "run scripts/peers.sh again to retry." >&2
fi
exit 0
