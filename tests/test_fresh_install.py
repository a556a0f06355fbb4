"""The lock files, and the set-up command on a machine that has nothing yet.

The quick tests read the lock files; the slow one copies the repository into a temporary
folder, runs ``scripts/setup.sh`` there with a new venv and asks the assistant for the time.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
RUN_LOCK = ROOT / "requirements" / "run.txt"
TEST_LOCK = ROOT / "requirements" / "test.txt"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", re.MULTILINE)

# Guards against a hang, not measures of speed: a busy 2-core machine needs minutes.
SETUP_LIMIT_SECONDS = 1800
ASK_LIMIT_SECONDS = 600


def pins_in(text: str) -> dict[str, str]:
    """The ``name==version`` lines of a lock file or of ``pip freeze``, by canonical name."""
    return {canonicalize_name(name): version for name, version in PIN.findall(text)}


def locked_pins(lock: Path) -> dict[str, str]:
    """Each package of a lock file with its pinned version."""
    return pins_in(lock.read_text())


def locked_entries(lock: Path) -> list[str]:
    """The lock's requirement entries: one string per package, continuation lines joined."""
    text = re.sub(r"\\\n", " ", lock.read_text())
    return [line for line in text.splitlines() if line and not line.lstrip().startswith("#")]


def project_requirements(*extras: str) -> list[Requirement]:
    """pyproject.toml's dependencies plus those of the given extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    texts = list(project["dependencies"])
    for extra in extras:
        texts += project["optional-dependencies"][extra]
    return [Requirement(text) for text in texts]


def test_the_run_lock_has_the_test_locks_versions() -> None:
    run, test = locked_pins(RUN_LOCK), locked_pins(TEST_LOCK)
    assert run, "requirements/run.txt pins nothing"
    assert {name: test.get(name) for name in run} == run


@pytest.mark.parametrize("lock", [RUN_LOCK, TEST_LOCK], ids=["run", "test"])
def test_every_locked_package_has_an_exact_version_and_a_hash(lock: Path) -> None:
    unhashed = [entry for entry in locked_entries(lock) if "==" not in entry or "--hash=sha256:" not in entry]
    assert unhashed == []


@pytest.mark.parametrize("lock", [RUN_LOCK, TEST_LOCK], ids=["run", "test"])
def test_a_lock_names_no_index_or_local_path(lock: Path) -> None:
    # The lock must install anywhere: a machine's mirror, wheel folder or checkout stays out of it.
    local = [entry for entry in locked_entries(lock) if re.search(r"file:|://|^-|\s/", entry)]
    assert local == []


@pytest.mark.parametrize(
    ("lock", "extras"), [(RUN_LOCK, ("piper",)), (TEST_LOCK, ("dev", "piper"))], ids=["run", "test"]
)
def test_a_lock_satisfies_pyproject(lock: Path, extras: tuple[str, ...]) -> None:
    # Fails when pyproject.toml gained or changed a dependency and scripts/lock.sh was not run.
    pins = locked_pins(lock)
    unmet = []
    for requirement in project_requirements(*extras):
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        version = pins.get(canonicalize_name(requirement.name))
        if version is None or not requirement.specifier.contains(version, prereleases=True):
            unmet.append(f"{requirement} (locked: {version})")
    assert unmet == [], "pyproject.toml and the lock disagree: run scripts/lock.sh"


def copy_of_the_repository(destination: Path) -> Path:
    """What a fresh clone holds (plus work not yet committed), without venvs or caches."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for relative in filter(None, listed.split("\0")):
        source = ROOT / relative
        if source.is_file():  # a tracked file deleted in the work tree is still listed
            target = destination / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return destination


def fresh_shell_environment() -> dict[str, str]:
    """This process's environment minus what points into the venv the tests run in."""
    environment = dict(os.environ)
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "ASSISTANT_HOME", "PYTHON"):
        environment.pop(name, None)
    venv_bin = str(Path(sys.prefix) / "bin")
    environment["PATH"] = os.pathsep.join(
        part for part in environment.get("PATH", "").split(os.pathsep) if part != venv_bin
    )
    return environment


@pytest.mark.slow
@pytest.mark.timeout(SETUP_LIMIT_SECONDS + ASK_LIMIT_SECONDS + 120)
def test_setup_from_nothing_installs_the_run_lock_and_the_assistant_answers(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs a git checkout to know which files a clone holds")
    repository = copy_of_the_repository(tmp_path / "repository")
    environment = fresh_shell_environment()

    setup = subprocess.run(
        ["bash", "scripts/setup.sh", "run"],
        cwd=repository,
        env=environment,
        capture_output=True,
        text=True,
        timeout=SETUP_LIMIT_SECONDS,
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr

    python = repository / ".venv" / "bin" / "python"
    frozen = subprocess.run(
        [python, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    installed = pins_in(frozen)
    # setuptools comes with a Python 3.11 venv and is no dependency of ours.
    installed.pop("setuptools", None)
    assert installed == locked_pins(repository / "requirements" / "run.txt")

    package = subprocess.run(
        [python, "-c", "import assistant; print(assistant.__file__)"],
        cwd=tmp_path,  # not the current folder, which may be another checkout
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert Path(package).is_relative_to(repository)

    ask = subprocess.run(
        [repository / ".venv" / "bin" / "assistant", "--home", tmp_path / "home", "ask", "what time is it"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=ASK_LIMIT_SECONDS,
    )
    assert ask.returncode == 0, ask.stdout + ask.stderr
    assert re.search(r"\b\d{1,2}:\d{2}\b", ask.stdout), ask.stdout
    # A passing copy is of no further use, and its venv is about 1 GB; a failing one is kept.
    shutil.rmtree(repository)
