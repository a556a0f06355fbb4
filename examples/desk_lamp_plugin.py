"""A simulated desk lamp: on/off and brightness, for demos and tests.

Copy this file into your plug-ins folder (``assistant plugins`` prints where)
and say "turn on the desk lamp" or "set the desk lamp to 40 percent".

Slots:
  ``device``: the lamp's spoken name (the assistant fills the ``device`` list
  with every device's name and aliases, resolved to the device id).
  ``brightness``: 0..100, a number or words ("forty").
"""

from __future__ import annotations

from typing import Any

from assistant.plugins.api import ActionRequest, ActionResult, Device, Plugin, SkillContext, SkillError
from assistant.skills.parsing import ParseError, parse_number

plugin = Plugin("desk-lamp", description="A simulated desk lamp with brightness.")
plugin.setting("start_brightness", 80)


def _apply(changes: dict[str, Any]) -> dict[str, Any]:
    """The 'hardware': here the state is simply kept; a real lamp would be told."""
    state = {**LAMP.state, **changes}
    state["brightness"] = max(0, min(100, int(state.get("brightness", 0))))
    if changes.get("brightness", 1) == 0:
        state["on"] = False
    return state


LAMP = plugin.device(
    Device(
        id="light.desk_lamp",
        name="desk lamp",
        kind="light",
        aliases=["lamp", "desk light"],
        state={"on": False, "brightness": 80},
        set_state=_apply,
    )
)


@plugin.on_load
def _start(loaded: Plugin) -> None:
    LAMP.state = {"on": False, "brightness": int(loaded.settings["start_brightness"])}


def _lamp(request: ActionRequest, context: SkillContext) -> Device:
    """The device asked for; the lamp when none (or its name) was said."""
    wanted = str(request.slots.get("device") or LAMP.id)
    device_id = context.devices.names().get(wanted, wanted)
    device = context.devices.get(device_id)
    if device is None or device.plugin != plugin.name:
        raise SkillError(f"I don't know a lamp called {wanted}.")
    return device


@plugin.intent(
    "lamp.turn_on",
    sentences=[
        "turn on [the] {device}",
        "switch on [the] {device}",
        "turn [the] {device} on",
        "(turn|switch) on [the] (lamp|light)",
    ],
    examples=["turn on the desk lamp"],
)
def turn_on(request: ActionRequest, context: SkillContext) -> ActionResult:
    """Turn the lamp on."""
    device = _lamp(request, context)
    if device.state.get("on"):
        return ActionResult(speech=f"The {device.name} is already on.", entity=device.id)
    context.devices.change(device.id, {"on": True})
    return ActionResult(speech=f"The {device.name} is on.", entity=device.id, data=dict(device.state))


@plugin.intent(
    "lamp.turn_off",
    sentences=[
        "turn off [the] {device}",
        "switch off [the] {device}",
        "turn [the] {device} off",
        "(turn|switch) off [the] (lamp|light)",
    ],
    examples=["turn off the desk lamp"],
)
def turn_off(request: ActionRequest, context: SkillContext) -> ActionResult:
    """Turn the lamp off."""
    device = _lamp(request, context)
    if not device.state.get("on"):
        return ActionResult(speech=f"The {device.name} is already off.", entity=device.id)
    context.devices.change(device.id, {"on": False})
    return ActionResult(speech=f"The {device.name} is off.", entity=device.id, data=dict(device.state))


@plugin.intent(
    "lamp.set_brightness",
    sentences=[
        "set [the] {device} to {brightness} [percent]",
        "dim [the] {device} to {brightness} [percent]",
        "set [the] {device} brightness to {brightness} [percent]",
    ],
    slots={"brightness": "To what brightness, from 0 to 100?"},
    examples=["set the desk lamp to 40 percent"],
)
def set_brightness(request: ActionRequest, context: SkillContext) -> ActionResult:
    """Set the lamp's brightness in percent."""
    device = _lamp(request, context)
    try:
        level = parse_number(str(request.slots.get("brightness", "")).removesuffix("%"))
    except ParseError as error:
        raise SkillError("Say a brightness from 0 to 100.") from error
    if not 0 <= level <= 100:
        raise SkillError("Brightness goes from 0 to 100 percent.")
    context.devices.change(device.id, {"brightness": int(level), "on": level > 0})
    if level == 0:
        return ActionResult(speech=f"The {device.name} is off.", entity=device.id, data=dict(device.state))
    return ActionResult(
        speech=f"The {device.name} is at {int(level)} percent.", entity=device.id, data=dict(device.state)
    )
