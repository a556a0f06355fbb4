"""Plug-in discovery from both places, and every kind of failure kept to its plug-in."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hassil import Intents, recognize_best

from assistant.config import Home, Settings
from assistant.devices import DeviceRegistry
from assistant.plugins.loader import current_statuses, load_plugins
from assistant.skills.base import ActionRequest
from assistant.skills.registry import SkillRegistry

GOOD = """
    from assistant.plugins.api import Plugin

    plugin = Plugin("greeter", description="Says hello.")
    plugin.setting("greeting", "Hello")

    @plugin.intent("greeter.hello", sentences=["say hello to {person}"], slots={"person": "To whom?"})
    def hello(request, context):
        return f"{plugin.settings['greeting']}, {request.slots['person']}!"
"""


def test_a_file_plugin_loads_and_answers(write_plugin: Callable[..., Path], load: Any, context: Any) -> None:
    write_plugin("greeter", GOOD)
    loaded = load()
    status = loaded.status("greeter")
    assert (status.status, status.kind, status.intents) == ("loaded", "file", ["greeter.hello"])
    result = loaded.registry.dispatch(ActionRequest("greeter.hello", {"person": "Ada"}), context)
    assert result.speech == "Hello, Ada!"


def test_generated_sentences_work_in_hassil(write_plugin: Callable[..., Path], load: Any) -> None:
    write_plugin("greeter", GOOD)
    skill = next(s for s in load().registry.skills() if s.source == "greeter")
    document = yaml.safe_load(Path(skill.sentences_file).read_text())
    result = recognize_best("say hello to Ada", Intents.from_dict(document))
    assert result is not None and result.entities["person"].value == "Ada"


def test_settings_come_from_settings_json(write_plugin: Callable[..., Path], load: Any, context: Any) -> None:
    write_plugin("greeter", GOOD)
    loaded = load(Settings(extra={"greeter": {"greeting": "Howdy"}}))
    assert (
        loaded.registry.dispatch(ActionRequest("greeter.hello", {"person": "Ada"}), context).speech
        == "Howdy, Ada!"
    )


def test_unknown_settings_fail_the_plugin_with_the_names(
    write_plugin: Callable[..., Path], load: Any
) -> None:
    write_plugin("greeter", GOOD)
    status = load(Settings(extra={"greeter": {"greting": "x"}})).status("greeter")
    assert status.status == "failed"
    assert "greting" in status.reason and "greeting" in status.reason


def test_turned_off_in_settings(write_plugin: Callable[..., Path], load: Any) -> None:
    write_plugin("greeter", GOOD)
    loaded = load(Settings(extra={"greeter": {"enabled": False}}))
    assert loaded.status("greeter").status == "disabled"
    assert loaded.registry.get("greeter.hello") is None


def test_a_same_named_yaml_adds_sentences(home: Home, write_plugin: Callable[..., Path], load: Any) -> None:
    write_plugin("greeter", GOOD)
    (home.plugins_dir / "greeter.yaml").write_text(
        textwrap.dedent("""
        language: en
        intents:
          greeter.hello:
            data:
              - sentences:
                  - "greet {person}"
    """)
    )
    skill = next(s for s in load().registry.skills() if s.source == "greeter")
    document = yaml.safe_load(Path(skill.sentences_file).read_text())
    assert document["intents"]["greeter.hello"]["data"][1]["sentences"] == ["greet {person}"]


def test_a_skill_style_plugin_file(home: Home, write_plugin: Callable[..., Path], load: Any) -> None:
    write_plugin(
        "shout",
        """
        from assistant.skills.base import IntentSpec, Skill

        SKILL = Skill(name="shout", sentences_file=None,
                      intents=[IntentSpec("shout.it", lambda request, context: "HEY")])
    """,
    )
    (home.plugins_dir / "shout.yaml").write_text(
        "language: en\nintents:\n  shout.it:\n    data:\n      - sentences: ['shout']\n"
    )
    assert load().status("shout").status == "loaded"


# --- each kind of failure stays with its plug-in ---------------------------------------


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("import not_a_module_anywhere\n", "ModuleNotFoundError: No module named 'not_a_module_anywhere'"),
        ("def broken(:\n", "syntax error in"),
        ("raise RuntimeError('boom at import')\n", "RuntimeError: boom at import"),
        ("import sys\nsys.exit(3)\n", "called sys.exit(3)"),
        ("x = 1\n", "defines no plug-in"),
    ],
)
def test_import_failures_are_reported(
    write_plugin: Callable[..., Path], load: Any, source: str, reason: str
) -> None:
    write_plugin("greeter", GOOD)
    write_plugin("broken", source)
    loaded = load()
    assert loaded.status("greeter").status == "loaded"
    status = loaded.status("broken")
    assert status.status == "failed"
    assert reason in status.reason


@pytest.mark.parametrize(
    ("declaration", "reason"),
    [
        ('@plugin.intent("Bad Name", sentences=["x"])', "must be dotted lower-case words"),
        ('@plugin.intent("bad.slot", sentences=["play {song}"])', "uses {song}, but no slot or list"),
        ('@plugin.intent("bad.template", sentences=["play (a|b"])', "is not a valid template"),
        ('@plugin.intent("bad.nosentences")', "has no sentences"),
        ('@plugin.intent("timer.set", sentences=["x"])', "already belongs to the built-in skill timers"),
        ('@plugin.intent("bad.slots", sentences=["x"], slots="level")', "slots must be a dict"),
        ('@plugin.intent("bad.question", sentences=["x {a}"], slots={"a": ""})', "needs a question"),
    ],
)
def test_nonsense_declarations_fail_with_a_clear_reason(
    write_plugin: Callable[..., Path], load: Any, declaration: str, reason: str
) -> None:
    write_plugin(
        "nonsense",
        f"""
        from assistant.plugins.api import Plugin

        plugin = Plugin("nonsense")

        {declaration}
        def handler(request, context):
            return "ok"
    """,
    )
    status = load().status("nonsense")
    assert status.status == "failed"
    assert reason in status.reason


def test_a_handler_with_the_wrong_arguments_is_refused(write_plugin: Callable[..., Path], load: Any) -> None:
    write_plugin(
        "arity",
        """
        from assistant.plugins.api import Plugin

        plugin = Plugin("arity")

        @plugin.intent("arity.run", sentences=["run"])
        def handler(request):
            return "ok"
    """,
    )
    assert "must take two arguments" in load().status("arity").reason


def test_a_bad_plugin_name(write_plugin: Callable[..., Path], load: Any) -> None:
    write_plugin("shouty", 'from assistant.plugins.api import Plugin\nplugin = Plugin("Shouty Name")\n')
    loaded = load()
    assert loaded.statuses[0].status == "failed"
    assert "must be lower-case" in loaded.statuses[0].reason


def test_two_plugins_with_one_name(write_plugin: Callable[..., Path], load: Any) -> None:
    write_plugin("a_greeter", GOOD)
    write_plugin("b_greeter", GOOD.replace("greeter.hello", "greeter.hi"))
    loaded = load()
    assert [s.status for s in loaded.statuses] == ["loaded", "failed"]
    assert "Another plug-in called greeter is already loaded" in loaded.statuses[1].reason


def test_a_failed_plugin_leaves_nothing_behind(write_plugin: Callable[..., Path], load: Any) -> None:
    write_plugin(
        "lamp",
        """
        from assistant.devices import Device
        from assistant.plugins.api import Plugin

        plugin = Plugin("lamp")
        plugin.device(Device(id="light.one", name="one", kind="light"))
        plugin.device(Device(id="light.one", name="again", kind="light"))

        @plugin.intent("lamp.glow", sentences=["glow"])
        def glow(request, context):
            return "glowing"
    """,
    )
    loaded = load()
    assert "used twice" in loaded.status("lamp").reason
    assert loaded.registry.get("lamp.glow") is None
    assert loaded.devices.all() == []


def test_a_hanging_import_times_out(write_plugin: Callable[..., Path], load: Any) -> None:
    write_plugin("stuck", "import time\ntime.sleep(30)\n")
    write_plugin("greeter", GOOD)
    loaded = load(timeout=0.3)
    assert "did not finish within 0.3 seconds" in loaded.status("stuck").reason
    assert loaded.status("greeter").status == "loaded"


def test_unavailable_plugin_is_disabled_with_the_reason(write_plugin: Callable[..., Path], load: Any) -> None:
    write_plugin(
        "gadget",
        """
        from assistant.plugins.api import Plugin, PluginUnavailable

        plugin = Plugin("gadget")

        @plugin.intent("gadget.go", sentences=["go"])
        def go(request, context):
            return "going"

        @plugin.on_load
        def check(loaded):
            raise PluginUnavailable("the gadget is not plugged in")
    """,
    )
    status = load().status("gadget")
    assert (status.status, status.reason) == ("disabled", "the gadget is not plugged in")


def test_raising_and_hanging_handlers_are_isolated(
    write_plugin: Callable[..., Path], load: Any, context: Any
) -> None:
    write_plugin(
        "flaky",
        """
        import time
        from assistant.plugins.api import Plugin

        plugin = Plugin("flaky")

        @plugin.intent("flaky.raise", sentences=["raise"])
        def explode(request, context):
            raise ValueError("the flux capacitor is empty")

        @plugin.intent("flaky.hang", sentences=["hang"])
        def hang(request, context):
            time.sleep(5)
            return "finally"
    """,
    )
    write_plugin("greeter", GOOD)
    loaded = load()
    raised = loaded.registry.dispatch(ActionRequest("flaky.raise"), context, timeout=1.0)
    assert raised.speech == "The flaky plug-in failed: ValueError: the flux capacitor is empty."
    hung = loaded.registry.dispatch(ActionRequest("flaky.hang"), context, timeout=0.2)
    assert not hung.ok and "turned it off" in hung.speech
    [flaky] = [s for s in current_statuses(loaded.statuses, loaded.registry) if s.name == "flaky"]
    assert flaky.status == "disabled" and "flaky.hang did not finish" in flaky.reason
    ok = loaded.registry.dispatch(ActionRequest("greeter.hello", {"person": "Ada"}), context)
    assert ok.speech == "Hello, Ada!"


# --- installed packages (entry points) ------------------------------------------------


def _fake_distribution(root: Path, package: str, body: str, entry: str) -> None:
    """An installed package without pip: the module plus a .dist-info with entry_points.txt."""
    (root / package).mkdir()
    (root / package / "__init__.py").write_text(textwrap.dedent(body))
    info = root / f"{package}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[assistant.plugins]\n{entry}\n")


def test_a_package_plugin_is_found_by_its_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Home
) -> None:
    _fake_distribution(
        tmp_path,
        "assistant_weather",
        """
        from assistant.plugins.api import Plugin

        plugin = Plugin("weather")

        @plugin.intent("weather.today", sentences=["what's the weather"])
        def today(request, context):
            return "Sunny, as far as I know."
    """,
        "weather = assistant_weather:plugin",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    registry = SkillRegistry()
    statuses = load_plugins(home, registry, DeviceRegistry(), Settings())
    [status] = [s for s in statuses if s.kind == "package" and s.name == "weather"]
    assert status.status == "loaded"
    assert status.source == "package assistant_weather (assistant_weather:plugin)"
    assert registry.get("weather.today") is not None
    sys.modules.pop("assistant_weather", None)


def test_a_broken_package_plugin_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Home
) -> None:
    _fake_distribution(
        tmp_path,
        "assistant_broken",
        "raise ImportError('needs libfoo')\n",
        "broken = assistant_broken:plugin",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    statuses = load_plugins(home, SkillRegistry(), DeviceRegistry(), Settings())
    [status] = [s for s in statuses if s.name == "broken"]
    assert (status.status, status.kind) == ("failed", "package")
    assert "needs libfoo" in status.reason
