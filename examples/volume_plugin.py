"""System volume through ``pactl`` (PulseAudio/PipeWire) or ``amixer`` (ALSA).

Copy into your plug-ins folder. Say "set the volume to 40 percent", "volume
up", "mute", "what's the volume". When neither tool is installed the plug-in
is listed as disabled with that reason.

Safety: commands run with argument lists, never through a shell, and only
numbers checked to be in 0..100 come from what was said.

Slots: ``level`` (0..100, number or words).
Settings (settings.json ``extra.volume``): ``tool`` ("auto", "pactl" or
"amixer"), ``control`` (amixer control, "Master"), ``step`` (percent, 10).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable, Sequence

from assistant.plugins.api import (
    ActionRequest,
    ActionResult,
    Plugin,
    PluginUnavailable,
    SkillContext,
    SkillError,
)
from assistant.skills.parsing import ParseError, parse_number

plugin = Plugin("volume", description="Sets the system volume.")
plugin.setting("tool", "auto")
plugin.setting("control", "Master")
plugin.setting("step", 10)

TIMEOUT_SECONDS = 3.0

Runner = Callable[[Sequence[str]], str]


def run_command(arguments: Sequence[str]) -> str:
    """Run one command without a shell; its output, or SkillError saying what went wrong."""
    try:
        completed = subprocess.run(
            list(arguments),
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SkillError(f"I couldn't change the volume: {error}.") from error
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip().splitlines()
        raise SkillError(f"I couldn't change the volume: {detail[-1] if detail else 'the command failed'}.")
    return completed.stdout


class VolumeControl:
    """Builds the commands for one tool; ``runner`` is swapped in tests."""

    def __init__(self, tool: str, control: str = "Master", runner: Runner = run_command) -> None:
        if tool not in ("pactl", "amixer"):
            raise ValueError(f"Unknown volume tool {tool!r}.")
        self.tool = tool
        self.control = control
        self.runner = runner

    def set_level(self, level: int) -> None:
        level = _checked(level)
        if self.tool == "pactl":
            self.runner(["pactl", "set-sink-volume", "@DEFAULT_SINK@", f"{level}%"])
        else:
            self.runner(["amixer", "-q", "-M", "sset", self.control, f"{level}%"])

    def change(self, delta: int) -> None:
        step = _checked(abs(delta))
        sign = "+" if delta >= 0 else "-"
        if self.tool == "pactl":
            self.runner(["pactl", "set-sink-volume", "@DEFAULT_SINK@", f"{sign}{step}%"])
        else:
            self.runner(["amixer", "-q", "-M", "sset", self.control, f"{step}%{sign}"])

    def mute(self, muted: bool) -> None:
        if self.tool == "pactl":
            self.runner(["pactl", "set-sink-mute", "@DEFAULT_SINK@", "1" if muted else "0"])
        else:
            self.runner(["amixer", "-q", "sset", self.control, "mute" if muted else "unmute"])

    def level(self) -> int:
        if self.tool == "pactl":
            output = self.runner(["pactl", "get-sink-volume", "@DEFAULT_SINK@"])
        else:
            output = self.runner(["amixer", "-M", "sget", self.control])
        match = re.search(r"(\d+)%", output)
        if match is None:
            raise SkillError("I couldn't read the volume.")
        return int(match.group(1))


def _checked(level: int) -> int:
    if not isinstance(level, int) or not 0 <= level <= 100:
        raise SkillError("The volume goes from 0 to 100 percent.")
    return level


def find_tool(preferred: str = "auto") -> str | None:
    """pactl first (it also drives PipeWire), else amixer; None when neither is installed."""
    for tool in ["pactl", "amixer"] if preferred == "auto" else [preferred]:
        if shutil.which(tool):
            return tool
    return None


CONTROL: VolumeControl | None = None


@plugin.on_load
def _detect(loaded: Plugin) -> None:
    global CONTROL
    tool = find_tool(str(loaded.settings["tool"]))
    if tool is None:
        raise PluginUnavailable(
            "neither pactl nor amixer is installed (install pulseaudio-utils or alsa-utils)"
        )
    CONTROL = VolumeControl(tool, str(loaded.settings["control"]))


def _control() -> VolumeControl:
    if CONTROL is None:
        raise SkillError("The volume plug-in found no volume tool.")
    return CONTROL


def level_from(request: ActionRequest) -> int:
    """The wanted level as an int 0..100 — the only thing from speech that reaches a command."""
    raw = str(request.slots.get("level", "")).strip().removesuffix("%").removesuffix("percent").strip()
    try:
        level = parse_number(raw)
    except ParseError as error:
        raise SkillError("Say a volume from 0 to 100.") from error
    if not float(level).is_integer() or not 0 <= level <= 100:
        raise SkillError("The volume goes from 0 to 100 percent.")
    return int(level)


@plugin.intent(
    "volume.set",
    sentences=[
        "set [the] volume to {level} [percent]",
        "volume [to] {level} [percent]",
        "change [the] volume to {level} [percent]",
    ],
    slots={"level": "To what volume, from 0 to 100?"},
    examples=["set the volume to 40 percent"],
)
def set_volume(request: ActionRequest, context: SkillContext) -> ActionResult:
    """Set the volume."""
    level = level_from(request)
    _control().set_level(level)
    return ActionResult(speech=f"Volume set to {level} percent.", entity="volume", data={"level": level})


@plugin.intent(
    "volume.up",
    sentences=["(turn|crank) [the] volume up", "volume up", "louder", "turn it up"],
    examples=["volume up"],
)
def volume_up(request: ActionRequest, context: SkillContext) -> ActionResult:
    """Make it louder."""
    _control().change(int(plugin.settings["step"]))
    return ActionResult(speech="Louder.", entity="volume")


@plugin.intent(
    "volume.down",
    sentences=["turn [the] volume down", "volume down", "quieter", "turn it down"],
    examples=["volume down"],
)
def volume_down(request: ActionRequest, context: SkillContext) -> ActionResult:
    """Make it quieter."""
    _control().change(-int(plugin.settings["step"]))
    return ActionResult(speech="Quieter.", entity="volume")


@plugin.intent("volume.mute", sentences=["mute", "mute [the] (sound|volume|speakers)"], examples=["mute"])
def mute(request: ActionRequest, context: SkillContext) -> ActionResult:
    """Mute the sound."""
    _control().mute(True)
    return ActionResult(speech="Muted.", entity="volume")


@plugin.intent(
    "volume.unmute", sentences=["unmute", "unmute [the] (sound|volume|speakers)"], examples=["unmute"]
)
def unmute(request: ActionRequest, context: SkillContext) -> ActionResult:
    """Unmute the sound."""
    _control().mute(False)
    return ActionResult(speech="Sound is back on.", entity="volume")


@plugin.intent(
    "volume.get",
    sentences=["what's the volume", "what is the volume [set to|at]", "how loud is it"],
    examples=["what's the volume"],
)
def get_volume(request: ActionRequest, context: SkillContext) -> ActionResult:
    """Say the current volume."""
    level = _control().level()
    return ActionResult(speech=f"The volume is at {level} percent.", entity="volume", data={"level": level})
