#!/usr/bin/env bash
# Refresh the lock files from pyproject.toml: requirements/test.txt (extras dev,piper)
# and requirements/run.txt (extra piper), every package pinned with its PyPI hashes.
#
#   scripts/lock.sh                          keep every pin that still fits; add what is new
#   scripts/lock.sh --upgrade                move every package to its newest fitting release
#   scripts/lock.sh --upgrade-package NAME   move one package (repeat the option for more)
#
# Then run ./run-tests (it installs the new lock) and commit pyproject.toml and requirements/.
set -euo pipefail
cd "$(dirname "$0")/.."

# The locking tool sits in its own venv so the locked environments never contain it.
uv_version="0.13.9"
tools=".tools"
python="${PYTHON:-python3}"
if [ ! -x "$tools/bin/uv" ] || [ "$("$tools/bin/uv" --version | cut -d' ' -f2)" != "$uv_version" ]; then
  echo "Installing uv $uv_version into $tools/"
  "$python" -m venv "$tools"
  "$tools/bin/python" -m pip install -q --isolated --index-url https://pypi.org/simple "uv==$uv_version"
fi

# Only PyPI: a machine's own indexes, mirrors or wheel folders must not leak into the lock.
# uv reads no pip configuration; the UV_* variables that could add an index are cleared.
unset UV_INDEX UV_INDEX_URL UV_EXTRA_INDEX_URL UV_FIND_LINKS UV_DEFAULT_INDEX UV_CONSTRAINT UV_OVERRIDE
compile=(
  "$tools/bin/uv" pip compile pyproject.toml
  --quiet --no-config --generate-hashes
  --index-url https://pypi.org/simple
  # CI and the supported machines: CPython 3.11 on x86_64 Linux.
  --python-version 3.11 --python-platform x86_64-unknown-linux-gnu
  --custom-compile-command "scripts/lock.sh"
)

mkdir -p requirements
# The test set first; the run set is then held to the test set's versions, so the two never
# disagree and installing one into a venv that has the other changes nothing.
"${compile[@]}" --extra dev --extra piper -o requirements/test.txt "$@"
"${compile[@]}" --extra piper -c requirements/test.txt -o requirements/run.txt

echo "Locked: requirements/test.txt ($(grep -c '^[A-Za-z]' requirements/test.txt) packages)," \
  "requirements/run.txt ($(grep -c '^[A-Za-z]' requirements/run.txt) packages)"
