"""Find, check and load plug-ins, each in isolation.

Two places are searched: installed packages exposing the entry-point group
``assistant.plugins``, and single ``.py`` files in ``<home>/plugins/`` (each
with an optional same-named ``.yaml`` of extra sentences). A plug-in that
fails to import, declares nonsense, hangs while loading or clashes with
another is reported in its ``PluginStatus`` and left out; the others load.

A plug-in file is only run when it and the plug-ins folder belong to the user and no
one else may write to them (``refused`` otherwise, saying how to fix it). It is compiled
from the bytes read through the checked file, never from a ``__pycache__`` someone could
have swapped.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from assistant.config import Home
from assistant.devices import DeviceRegistry
from assistant.plugins.api import LiveTarget, Plugin, PluginError, PluginUnavailable
from assistant.privacy import unsafe_code_problem
from assistant.skills.base import Skill
from assistant.skills.registry import BUILTIN, LoadContext, SkillConflict, SkillRegistry, skill_from_module

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "assistant.plugins"
LOAD_TIMEOUT_SECONDS = 15.0
"""Importing a plug-in may pull in big libraries; longer than this is a hang."""

LOADED = "loaded"
DISABLED = "disabled"
FAILED = "failed"
REFUSED = "refused"


@dataclass
class PluginStatus:
    """What became of one plug-in: loaded, disabled (with why) or failed (with why)."""

    name: str
    source: str
    """The file path, or ``package <distribution> (<entry point>)``."""
    status: str
    """loaded, disabled, failed or refused (not run: someone else could have changed it)."""
    reason: str = ""
    kind: str = "file"
    """file or package."""
    intents: list[str] = field(default_factory=list)
    devices: list[str] = field(default_factory=list)
    description: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class _Candidate:
    name: str
    """The file stem or entry-point name, until the plug-in names itself."""
    source: str
    kind: str
    load: Callable[[], Any]
    """Imports and returns the module or object."""
    sentences_file: Path | None = None
    refused: str = ""
    """Why the file must not be run (owner, or writable by others); empty when it may."""


class PluginRefused(Exception):
    """A plug-in file or folder someone other than the user owns or could have changed."""


def discover(
    home: Home, entry_points: Iterable[importlib.metadata.EntryPoint] | None = None
) -> list[_Candidate]:
    """Every plug-in that could be loaded, packages first, then files (sorted by name)."""
    candidates: list[_Candidate] = []
    if entry_points is None:
        entry_points = importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
    for entry_point in entry_points:
        distribution = getattr(getattr(entry_point, "dist", None), "name", None) or "?"
        candidates.append(
            _Candidate(
                name=entry_point.name,
                source=f"package {distribution} ({entry_point.value})",
                kind="package",
                load=entry_point.load,
            )
        )
    folder = home.plugins_dir
    if folder.is_dir():
        folder_problem = unsafe_code_problem(folder.stat(), folder)
        for path in sorted(folder.glob("*.py")):
            if path.name.startswith(("_", ".")):
                continue
            sentences = path.with_suffix(".yaml")
            candidates.append(
                _Candidate(
                    name=path.stem,
                    source=str(path),
                    kind="file",
                    load=_file_loader(path),
                    sentences_file=sentences if sentences.exists() else None,
                    refused=folder_problem or _file_problem(path),
                )
            )
    return candidates


def _file_problem(path: Path) -> str:
    try:
        return unsafe_code_problem(path.stat(), path) or ""
    except OSError as error:
        return f"{path} cannot be read: {error.strerror}"


def _file_loader(path: Path) -> Callable[[], ModuleType]:
    def load() -> ModuleType:
        # Checked again on the open file: what is run is what was checked, even if the
        # path was swapped since discover().
        with open(path, "rb") as handle:
            problem = unsafe_code_problem(os.fstat(handle.fileno()), path)
            if problem:
                raise PluginRefused(problem)
            source = handle.read()
        module_name = f"assistant_plugin_{path.stem}"
        spec = importlib.util.spec_from_file_location(module_name, path)
        if spec is None:
            raise ImportError(f"Python cannot load {path}.")
        module = importlib.util.module_from_spec(spec)
        code = compile(source, str(path), "exec", dont_inherit=True)
        sys.modules[module_name] = module  # so dataclasses and pickling inside the plug-in work
        try:
            exec(code, module.__dict__)
        except BaseException:
            sys.modules.pop(module_name, None)
            raise
        return module

    return load


def load_plugins(
    home: Home,
    registry: SkillRegistry,
    devices: DeviceRegistry,
    settings: Any = None,
    *,
    entry_points: Iterable[importlib.metadata.EntryPoint] | None = None,
    timeout: float = LOAD_TIMEOUT_SECONDS,
) -> list[PluginStatus]:
    """Load every plug-in into ``registry`` and ``devices``; never raises for a plug-in's fault."""
    statuses: list[PluginStatus] = []
    loaded_names: dict[str, str] = {}
    for candidate in discover(home, entry_points):
        status = _load_one(candidate, home, registry, devices, settings, loaded_names, timeout)
        if status.status == LOADED:
            loaded_names[status.name] = status.source
        elif status.status == FAILED:
            log.error("Plug-in %s (%s) failed: %s", status.name, status.source, status.reason)
        elif status.status == REFUSED:
            log.warning("Plug-in %s refused: %s", status.name, status.reason)
        statuses.append(status)
    return statuses


def current_statuses(statuses: list[PluginStatus], registry: SkillRegistry) -> list[PluginStatus]:
    """The load-time statuses, updated with plug-ins disabled since (a hanging handler)."""
    disabled = registry.disabled()
    result = []
    for status in statuses:
        if status.status == LOADED and status.name in disabled:
            status = PluginStatus(**{**status.to_dict(), "status": DISABLED, "reason": disabled[status.name]})
        result.append(status)
    return result


def _load_one(
    candidate: _Candidate,
    home: Home,
    registry: SkillRegistry,
    devices: DeviceRegistry,
    settings: Any,
    loaded_names: dict[str, str],
    timeout: float,
) -> PluginStatus:
    status = PluginStatus(name=candidate.name, source=candidate.source, status=FAILED, kind=candidate.kind)
    if candidate.refused:
        status.status, status.reason = REFUSED, candidate.refused
        return status
    extra = dict(getattr(settings, "extra", None) or {})
    if isinstance(extra.get(candidate.name), dict) and extra[candidate.name].get("enabled") is False:
        status.status = DISABLED
        status.reason = f"turned off in settings.json (extra.{candidate.name}.enabled)"
        return status
    try:
        loaded = _with_timeout(candidate.load, timeout, f"importing {candidate.source}")
        plugin, skill = _interpret(loaded, registry, settings)
        if plugin is not None:
            status.name = plugin.name
            status.description = plugin.description
            own_settings = extra.get(plugin.name) if isinstance(extra.get(plugin.name), dict) else None
            if own_settings is not None and own_settings.get("enabled") is False:
                status.status = DISABLED
                status.reason = f"turned off in settings.json (extra.{plugin.name}.enabled)"
                return status
            plugin.validate()
            plugin.apply_settings(own_settings)
            for hook in plugin.load_hooks:
                _with_timeout(functools.partial(hook, plugin), timeout, f"starting {plugin.name}")
            skill = _plugin_skill(plugin, candidate.sentences_file, home)
        if skill is None:
            raise PluginError("It defines no plug-in.")
        if plugin is None:
            _adopt_skill(skill, candidate)
        status.name = skill.source
        if status.name in loaded_names:
            raise PluginError(
                f"Another plug-in called {status.name} is already loaded from {loaded_names[status.name]}."
            )
        _install(skill, plugin, registry, devices)
    except PluginUnavailable as error:
        status.status, status.reason = DISABLED, str(error) or "not available on this machine"
        return status
    except PluginRefused as error:
        status.status, status.reason = REFUSED, str(error)
        return status
    except (PluginError, SkillConflict) as error:
        status.reason = str(error)
        return status
    except _LoadTimeout as error:
        status.reason = str(error)
        return status
    except SyntaxError as error:
        where = error.filename or candidate.source
        status.reason = f"syntax error in {where} line {error.lineno}: {error.msg}"
        return status
    except Exception as error:  # any import-time bug in a plug-in: report it, load the others
        log.exception("Plug-in %s could not be loaded", candidate.source)
        status.reason = f"{type(error).__name__}: {error}"
        return status
    status.status = LOADED
    status.intents = [spec.name for spec in skill.intents]
    status.devices = [device.id for device in (plugin.devices if plugin else [])]
    return status


class _LoadTimeout(Exception):
    pass


def _with_timeout(work: Callable[[], Any], timeout: float, what: str) -> Any:
    """Run ``work`` on a daemon thread; a plug-in stuck at import must not stop the assistant."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # carried back to the caller's thread and re-raised there
            outcome["error"] = error

    worker = threading.Thread(target=run, name=f"plugin-load {what}", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise _LoadTimeout(f"{what} did not finish within {timeout:g} seconds")
    if "error" in outcome:
        error = outcome["error"]
        if isinstance(error, SystemExit):
            raise PluginError(f"{what} called sys.exit({error.code})")
        raise error
    return outcome.get("value")


def _interpret(loaded: Any, registry: SkillRegistry, settings: Any) -> tuple[Plugin | None, Skill | None]:
    """A Plugin or a Skill from what an entry point or file gave."""
    if isinstance(loaded, Plugin):
        return loaded, None
    if isinstance(loaded, Skill):
        return None, loaded
    if isinstance(loaded, ModuleType):
        plugins = [value for value in vars(loaded).values() if isinstance(value, Plugin)]
        if len(plugins) > 1:
            raise PluginError(f"{loaded.__name__} creates {len(plugins)} Plugin objects; a file holds one.")
        if plugins:
            return plugins[0], None
        skill = skill_from_module(loaded, LoadContext(registry, settings))
        if skill is not None:
            return None, skill
        raise PluginError(
            'It defines no plug-in: create one with plugin = Plugin("name") (see docs/plugins.md).'
        )
    if callable(loaded):
        return _interpret(loaded(), registry, settings)
    raise PluginError(f"The entry point gives a {type(loaded).__name__}, not a Plugin or a module.")


def _adopt_skill(skill: Skill, candidate: _Candidate) -> None:
    """A plain Skill from a plug-in file: name its source, find its sentences."""
    if skill.source == BUILTIN:
        skill.source = candidate.name
    if skill.sentences_file is None:
        skill.sentences_file = candidate.sentences_file
    if skill.sentences_file is None or not Path(skill.sentences_file).exists():
        raise PluginError(
            f"The skill {skill.name} has no sentences file (put {candidate.name}.yaml beside it)."
        )


def _plugin_skill(plugin: Plugin, extra_sentences: Path | None, home: Home) -> Skill:
    """The plug-in as a Skill, with its sentences written to one YAML file for understanding."""
    document = plugin.sentences_document()
    if extra_sentences is not None:
        try:
            with extra_sentences.open(encoding="utf-8") as handle:
                from_file = yaml.safe_load(handle) or {}
        except (OSError, yaml.YAMLError) as error:
            raise PluginError(f"{extra_sentences.name} cannot be read: {error}") from None
        _merge_sentences(document, from_file, extra_sentences.name)
    declared = {d.name for d in plugin.intents}
    for intent in document["intents"]:
        if intent not in declared:
            raise PluginError(f"The sentences mention {intent}, but the plug-in has no handler for it.")
    for declaration in plugin.intents:
        if declaration.name not in document["intents"]:
            raise PluginError(f"The intent {declaration.name} has no sentences.")
    folder = home.data_dir / "plugin-sentences"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{plugin.name}.yaml"
    path.write_text(
        f"# Generated from the plug-in {plugin.name}; edits are overwritten on the next start.\n"
        + yaml.safe_dump(document, sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    return Skill(
        name=plugin.name,
        sentences_file=path,
        intents=plugin.intent_specs(),
        description=plugin.description,
        source=plugin.name,
        close=plugin.close if plugin.close_hooks else None,
    )


def _merge_sentences(document: dict[str, Any], extra: Any, file_name: str) -> None:
    if not isinstance(extra, dict) or not isinstance(extra.get("intents", {}), dict):
        raise PluginError(
            f"{file_name} must have the Home Assistant intents shape (language, intents, lists)."
        )
    for intent, body in (extra.get("intents") or {}).items():
        blocks = (body or {}).get("data") if isinstance(body, dict) else None
        if not isinstance(blocks, list):
            raise PluginError(f"{file_name}: intent {intent} needs a 'data' list of sentence blocks.")
        document["intents"].setdefault(intent, {"data": []})["data"].extend(blocks)
    lists = extra.get("lists") or {}
    if not isinstance(lists, dict):
        raise PluginError(f"{file_name}: 'lists' must be a mapping.")
    document["lists"].update(lists)
    if "expansion_rules" in extra:
        document["expansion_rules"] = extra["expansion_rules"]


def _install(skill: Skill, plugin: Plugin | None, registry: SkillRegistry, devices: DeviceRegistry) -> None:
    """Add intents, lists and devices, all or nothing."""
    source = skill.source
    for device in plugin.devices if plugin else []:
        if devices.get(device.id) is not None:
            raise PluginError(f"The device id {device.id} is already taken by another plug-in.")
    registry.add(skill)
    try:
        if plugin is not None:
            for slot_list in plugin.lists.values():
                if not slot_list.wildcard:
                    registry.add_list(slot_list.name, [value for _, value in slot_list.values], source)
            for name, values in plugin.live_lists.items():
                registry.add_list(name, list(values), source)
            if plugin.phrases:
                registry.update_phrases(list(plugin.phrases), source)
            for device in plugin.devices:
                device.plugin = source
                devices.add(device)
            plugin.go_live(LiveTarget(skills=registry, devices=devices))
    except Exception:
        registry.remove_source(source)
        devices.remove_plugin(source)
        raise


def unload_plugin(name: str, registry: SkillRegistry, devices: DeviceRegistry) -> None:
    """Remove a plug-in's intents, lists and devices (its module stays imported)."""
    registry.remove_source(name)
    devices.remove_plugin(name)
