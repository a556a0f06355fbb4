#!/usr/bin/env bash
# Set up whatever is missing: system packages, the virtual environment, Python packages.
# Safe to run again: each step is skipped when already done.
# Usage: scripts/setup.sh [SET]   SET is "run" (default; ./start) or "test" (./run-tests).
# The Python packages come from the lock file of that set (requirements/run.txt or
# requirements/test.txt), exact versions with hashes: what CI tested. scripts/lock.sh refreshes it.
set -euo pipefail
cd "$(dirname "$0")/.."
set_name="${1:-run}"
case "$set_name" in
  run | piper) set_name=run ;;
  test | dev,piper | piper,dev) set_name=test ;;
  *)
    echo "Unknown package set '$set_name': use run (./start) or test (./run-tests)." >&2
    exit 2
    ;;
esac
lock="requirements/$set_name.txt"

system_packages=(espeak-ng libportaudio2 sox libsndfile1)
missing=()
for package in "${system_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  elif sudo -n true 2>/dev/null; then
    echo "Installing system packages: ${missing[*]}"
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Some system packages are missing: ${missing[*]}"
    echo "Install them with:  sudo apt-get install ${missing[*]}"
    echo "(The assistant still works without them, but speech output or sound devices will not.)"
  fi
fi

python="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "Creating the virtual environment in .venv"
  "$python" -m venv .venv
fi
# The locks are made for CPython 3.11 (see scripts/lock.sh); other versions may resolve differently.
if ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "Note: .venv uses Python $(.venv/bin/python -c 'import platform; print(platform.python_version())');" \
    "the lock files were made and tested for 3.11."
fi

# One stamp per set, named by the hash of its lock and of pyproject.toml (the editable install's
# metadata). The two locks agree on every shared version, so installing one never undoes the
# other: a venv may hold both stamps, and ./start after ./run-tests installs nothing.
digest="$(cat "$lock" pyproject.toml plugins/*/pyproject.toml | sha256sum | cut -c1-16)"
stamp=".venv/.installed-$set_name-$digest"
if [ ! -f "$stamp" ]; then
  echo "Installing Python packages from $lock"
  # Packages already at the locked version are left alone; anything else is fetched and must
  # match a hash in the lock, whichever index or mirror pip is configured to use.
  .venv/bin/python -m pip install -q --require-hashes -r "$lock"
  .venv/bin/python -m pip install -q --no-deps -e .
  # The plug-ins that live in this repository (plugins/*: Home Assistant); their dependencies
  # are in the same lock.
  for plugin in plugins/*/; do
    [ -f "$plugin/pyproject.toml" ] || continue
    .venv/bin/python -m pip install -q --no-deps -e "$plugin"
  done
  rm -f .venv/.installed-"$set_name"-*
  touch "$stamp"
fi

# Built ahead, so the assistant never waits for them: compiled modules, and the base intent
# model of the built-in skills (models/intent-base.npz, ~20 s to train). The stamp covers the
# code, the sentences and the packages; when it changes, the base model module checks the real
# training digest (~2 s) and retrains only if the model is stale.
inputs="$( (echo "$digest"; find assistant tui -name '*.py' -o -name '*.yaml' -o -name '*.txt' | LC_ALL=C sort | xargs cat) | sha256sum | cut -c1-16)"
built=".venv/.built-$inputs"
if [ ! -f "$built" ] || [ ! -f models/intent-base.npz ]; then
  .venv/bin/python -m compileall -q assistant tui >/dev/null
  .venv/bin/python -m assistant.cli.base_model
  rm -f .venv/.built-*
  touch "$built"
fi
