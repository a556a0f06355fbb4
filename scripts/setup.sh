#!/usr/bin/env bash
# Set up whatever is missing: system packages, the virtual environment, Python packages.
# Safe to run again: each step is skipped when already done.
# Usage: scripts/setup.sh [EXTRAS]   e.g. scripts/setup.sh dev,piper
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-piper}"

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
stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)-${extras//,/_}"
if [ ! -f "$stamp" ]; then
  echo "Installing Python packages (extras: $extras)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[${extras}]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi
