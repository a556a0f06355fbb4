"""The shipped example plug-ins: the simulated desk lamp and the system volume."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from typing import Any

import pytest

from assistant.config import Home
from assistant.skills.base import ActionRequest, SkillError
from tests.plugins.conftest import EXAMPLES


@pytest.fixture
def lamp(home: Home, load: Any) -> Any:
    shutil.copy(EXAMPLES / "desk_lamp_plugin.py", home.plugins_dir)
    return load()


def _run(loaded: Any, context: Any, intent: str, **slots: Any) -> Any:
    context.devices = loaded.devices
    return loaded.registry.dispatch(ActionRequest(intent, slots), context)


def test_the_desk_lamp_loads_with_its_device(lamp: Any) -> None:
    status = lamp.status("desk-lamp")
    assert status.status == "loaded", status.reason
    assert status.devices == ["light.desk_lamp"]
    assert lamp.devices.names()["lamp"] == "light.desk_lamp"


def test_the_desk_lamp_turns_on_and_off(lamp: Any, context: Any) -> None:
    assert _run(lamp, context, "lamp.turn_on", device="light.desk_lamp").speech == "The desk lamp is on."
    assert lamp.devices.get("light.desk_lamp").state["on"] is True
    assert _run(lamp, context, "lamp.turn_on", device="desk lamp").speech == "The desk lamp is already on."
    assert _run(lamp, context, "lamp.turn_off").speech == "The desk lamp is off."


def test_the_desk_lamp_brightness(lamp: Any, context: Any) -> None:
    result = _run(lamp, context, "lamp.set_brightness", device="desk lamp", brightness="forty")
    assert result.speech == "The desk lamp is at 40 percent."
    assert lamp.devices.get("light.desk_lamp").state == {"on": True, "brightness": 40}
    assert not _run(lamp, context, "lamp.set_brightness", brightness=150).ok
    assert _run(lamp, context, "lamp.set_brightness", brightness=0).speech == "The desk lamp is off."


def test_the_desk_lamp_refuses_unknown_devices(lamp: Any, context: Any) -> None:
    result = _run(lamp, context, "lamp.turn_on", device="toaster")
    assert result.speech == "I don't know a lamp called toaster."


# --- volume -----------------------------------------------------------------------


@pytest.fixture
def volume_module() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("volume_example_under_test", EXAMPLES / "volume_plugin.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Recorder:
    def __init__(self, output: str = "") -> None:
        self.calls: list[list[str]] = []
        self.output = output

    def __call__(self, arguments: Sequence[str]) -> str:
        self.calls.append(list(arguments))
        return self.output


@pytest.mark.parametrize(
    ("tool", "expected"),
    [
        ("pactl", ["pactl", "set-sink-volume", "@DEFAULT_SINK@", "40%"]),
        ("amixer", ["amixer", "-q", "-M", "sset", "Master", "40%"]),
    ],
)
def test_volume_commands_are_argument_lists(volume_module: Any, tool: str, expected: list[str]) -> None:
    recorder = Recorder()
    volume_module.VolumeControl(tool, runner=recorder).set_level(40)
    assert recorder.calls == [expected]


def test_volume_up_down_and_mute(volume_module: Any) -> None:
    recorder = Recorder()
    control = volume_module.VolumeControl("amixer", runner=recorder)
    control.change(10)
    control.change(-5)
    control.mute(True)
    assert recorder.calls == [
        ["amixer", "-q", "-M", "sset", "Master", "10%+"],
        ["amixer", "-q", "-M", "sset", "Master", "5%-"],
        ["amixer", "-q", "sset", "Master", "mute"],
    ]


def test_volume_level_is_read(volume_module: Any) -> None:
    output = "Volume: front-left: 26214 /  40% / -23.88 dB,   front-right: 26214 /  40% / -23.88 dB"
    assert volume_module.VolumeControl("pactl", runner=Recorder(output)).level() == 40


@pytest.mark.parametrize("spoken", ["40; rm -rf ~", "$(reboot)", "150", "-5", "forty two and a bit", "4.5"])
def test_speech_never_reaches_a_command(volume_module: Any, spoken: str) -> None:
    with pytest.raises(SkillError):
        volume_module.level_from(ActionRequest("volume.set", {"level": spoken}))


def test_volume_words_become_a_checked_number(volume_module: Any) -> None:
    assert volume_module.level_from(ActionRequest("volume.set", {"level": "forty percent"})) == 40


def test_the_volume_plugin_loads_or_says_why(home: Home, load: Any) -> None:
    shutil.copy(EXAMPLES / "volume_plugin.py", home.plugins_dir)
    status = load().status("volume")
    if shutil.which("pactl") or shutil.which("amixer"):
        assert status.status == "loaded", status.reason
    else:
        assert status.status == "disabled"
        assert "neither pactl nor amixer is installed" in status.reason


@pytest.mark.skipif(not shutil.which("amixer"), reason="amixer (alsa-utils) is not installed here")
def test_amixer_reads_the_real_volume(volume_module: Any) -> None:
    probe = subprocess.run(["amixer", "-M", "sget", "Master"], capture_output=True, text=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"amixer has no Master control here: {probe.stderr.strip()}")
    assert 0 <= volume_module.VolumeControl("amixer").level() <= 100


@pytest.mark.skipif(not shutil.which("pactl"), reason="pactl (pulseaudio-utils) is not installed here")
def test_pactl_reads_the_real_volume(volume_module: Any) -> None:
    probe = subprocess.run(
        ["pactl", "get-sink-volume", "@DEFAULT_SINK@"], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        pytest.skip(f"no sound server for pactl: {probe.stderr.strip()}")
    assert 0 <= volume_module.VolumeControl("pactl").level() <= 150
