"""docs/skills.md lists every built-in intent (docs change with the behaviour)."""

from __future__ import annotations

from pathlib import Path

from assistant.skills.registry import SkillRegistry

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_builtin_intent_is_documented(registry: SkillRegistry) -> None:
    text = (DOCS / "skills.md").read_text(encoding="utf-8")
    missing = [spec.name for spec in registry.intents() if f"`{spec.name}`" not in text]
    assert missing == []


def test_the_plugin_guide_example_loads(home: object, tmp_path: Path) -> None:
    """The complete example in docs/plugins.md is a working plug-in."""
    from assistant.config import Home, Settings
    from assistant.devices import DeviceRegistry
    from assistant.plugins.loader import load_plugins

    assert isinstance(home, Home)
    text = (DOCS / "plugins.md").read_text(encoding="utf-8")
    example = text.split("```python\n", 1)[1].split("```", 1)[0]
    (home.plugins_dir / "kitchen_radio.py").write_text(example, encoding="utf-8")
    registry = SkillRegistry()
    registry.load_builtin()
    [status] = load_plugins(home, registry, DeviceRegistry(), Settings(), entry_points=[])
    assert status.status == "loaded", status.reason
