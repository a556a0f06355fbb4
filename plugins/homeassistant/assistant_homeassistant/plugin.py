"""The Home Assistant plug-in: what it listens for and what it does.

``create_plugin()`` is the entry point (``assistant.plugins``); each assistant gets its own
plug-in and its own connection. Names and areas come from the home and are kept live; every
request is answered from the live state, and every problem is said with what to do about it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.devices import Device
from assistant.plugins.api import ActionRequest, ActionResult, Plugin, PluginUnavailable, SkillContext, SkillError
from assistant.plugins.api import SlotSpec as Slot
from assistant.skills.parsing import ParseError, parse_number

from assistant_homeassistant import describe, services
from assistant_homeassistant.connection import Backoff, LinkStatus
from assistant_homeassistant.errors import CommandFailed, HomeAssistantError
from assistant_homeassistant.home import Entity, Home, normalize
from assistant_homeassistant.link import HomeLink, HomeListener, devices_of
from assistant_homeassistant.token_file import read_token

log = logging.getLogger(__name__)

NAME = "homeassistant"
FIRST_READ_SECONDS = 5.0
"""At start-up, wait this long for the home to be read before going on without it."""
LIGHTS = frozenset({"light"})
NAMES_FILE = "homeassistant-names.json"
"""Beside the token file: the names seen last, for a start while Home Assistant is down."""


class _Listener(HomeListener):
    def __init__(self, plugin: Plugin) -> None:
        self.plugin = plugin
        self.link: HomeLink | None = None

    def names_changed(self, home: Home) -> None:
        self.plugin.update_list("ha_name", home.names())
        self.plugin.update_list("ha_area", home.area_names())
        self.plugin.update_devices(
            Device(
                id=entity.entity_id,
                name=entity.spoken()[0],
                kind=entity.domain,
                aliases=entity.spoken()[1:],
                state=state,
                set_state=self._setter(entity.entity_id),
            )
            for entity, state in devices_of(home)
        )

    def state_changed(self, entity: Entity) -> None:
        self.plugin.report_state(entity.entity_id, describe.device_state(entity))

    def status_changed(self, status: LinkStatus) -> None:
        pass  # kept on the connection; handlers and the status intent read it

    def _setter(self, entity_id: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
        """For the assistant's own changes (a hunch's fix: "turn it off for me")."""

        def set_state(changes: dict[str, Any]) -> dict[str, Any]:
            link = _need(self.link)
            entity = _entity(link.home(), entity_id)
            if "on" in changes:
                entity = link.act(entity, services.switch(entity, bool(changes["on"])))
            return describe.device_state(entity)

        return set_state


def create_plugin() -> Plugin:
    plugin = Plugin(NAME, description="Your Home Assistant: lights, switches, covers, climate, media, scenes.")
    plugin.setting("url", "")
    plugin.setting("token_file", "")
    plugin.setting("reconnect_max_seconds", 30.0)
    plugin.live_list("ha_name")
    plugin.live_list("ha_area")
    plugin.list("ha_colour", list(services.COLOURS))
    plugin.list("ha_condition", ["on", "off", "open", "closed", "locked", "unlocked", "playing", "paused", "armed", "disarmed"])
    listener = _Listener(plugin)

    @plugin.on_load
    def connect(loaded: Plugin) -> None:
        url = str(loaded.settings["url"]).strip()
        if not url:
            raise PluginUnavailable(
                "not connected yet: run `assistant-homeassistant connect` or use Settings → Home Assistant"
            )
        token_file = str(loaded.settings["token_file"])
        longest = float(loaded.settings["reconnect_max_seconds"])
        link = HomeLink(
            url,
            lambda: read_token(Path(token_file) if token_file else ""),
            listener,
            Backoff(first=min(1.0, longest), longest=longest),
            names_file=Path(token_file).with_name(NAMES_FILE) if token_file else None,
        )
        listener.link = link
        link.start()
        link.connection.ready.wait(FIRST_READ_SECONDS)  # a home known at once, when it is up

    @plugin.on_close
    def disconnect() -> None:
        if listener.link is not None:
            listener.link.stop()

    _declare_intents(plugin, listener)
    return plugin


def _need(link: HomeLink | None) -> HomeLink:
    if link is None:
        raise SkillError("Home Assistant isn't set up yet. Connect to it in Settings.")
    return link


def _entity(home: Home, entity_id: str) -> Entity:
    entity = home.entities.get(entity_id)
    if entity is None:
        raise SkillError("That device is no longer in Home Assistant.")
    return entity


def _check_link(link: HomeLink) -> Home:
    """The home, or a SkillError saying why Home Assistant can't be used now."""
    if not link.connection.ready.is_set():
        raise SkillError(link.status.detail or "I'm not connected to Home Assistant yet.")
    return link.home()


def _find(link: HomeLink, spoken: str, domains: frozenset[str] | None = None) -> Entity:
    home = _check_link(link)
    entity = home.find(spoken, domains)
    if entity is None:
        if home.find(spoken) is not None and domains is not None:
            raise SkillError(f"The {spoken} can't do that.")
        raise SkillError(
            f"I don't know a device called {spoken} in Home Assistant. "
            "If it was renamed or removed there, say its new name."
        )
    return entity


def _run(action: Callable[[], ActionResult]) -> ActionResult:
    """Home Assistant's problems as replies that say what to do."""
    try:
        return action()
    except services.Unsupported as error:
        raise SkillError(str(error)) from None
    except CommandFailed as error:
        raise SkillError(f"Home Assistant refused that: {error}") from None
    except HomeAssistantError as error:
        raise SkillError(str(error)) from None


def _done(entity: Entity, speech: str | None = None) -> ActionResult:
    return ActionResult(
        speech=speech or describe.describe(entity),
        entity=entity.entity_id,
        entity_name=entity.spoken()[0] if entity.spoken() else entity.name,
        data={"entity_id": entity.entity_id, "state": entity.state},
    )


def _percent(value: Any, what: str) -> int:
    try:
        number = parse_number(str(value or "").removesuffix("%").removesuffix(" percent").strip())
    except ParseError:
        raise SkillError(f"Say a {what} from 0 to 100 percent.") from None
    if not 0 <= number <= 100:
        raise SkillError(f"{what.capitalize()} goes from 0 to 100 percent.")
    return int(number)


def _declare_intents(plugin: Plugin, listener: _Listener) -> None:
    def link() -> HomeLink:
        return _need(listener.link)

    which = Slot("ha_name", "Which device?", required=True)

    def switch(on: bool) -> Callable[[ActionRequest, SkillContext], ActionResult]:
        def handle(request: ActionRequest, context: SkillContext) -> ActionResult:
            def act() -> ActionResult:
                entity = _find(link(), str(request.slots["ha_name"]))
                if entity.domain in ("cover", "lock", "alarm_control_panel"):
                    verb = {"cover": "open or close", "lock": "lock or unlock", "alarm_control_panel": "arm or disarm"}
                    raise SkillError(f"Say {verb[entity.domain]} the {entity.name} for that.")
                return _done(link().act(entity, services.switch(entity, on)))

            return _run(act)

        return handle

    for on in (True, False):
        state = "on" if on else "off"
        plugin.intent(
            f"homeassistant.turn_{state}",
            sentences=[
                f"(turn|switch) {state} [the] {{ha_name}}",
                f"(turn|switch) [the] {{ha_name}} {state}",
            ],
            slots=[which],
            examples=[f"turn {state} the kitchen lights"],
            description=f"Turn a Home Assistant device {state}.",
        )(switch(on))

    def toggle(request: ActionRequest, context: SkillContext) -> ActionResult:
        return _run(lambda: _done(link().act(e := _find(link(), str(request.slots["ha_name"])), services.toggle(e))))

    plugin.intent("homeassistant.toggle", sentences=["toggle [the] {ha_name}"], slots=[which],
                  examples=["toggle the bed light"], description="Toggle a Home Assistant device.")(toggle)

    def area_switch(on: bool) -> Callable[[ActionRequest, SkillContext], ActionResult]:
        def handle(request: ActionRequest, context: SkillContext) -> ActionResult:
            def act() -> ActionResult:
                home = _check_link(link())
                spoken = request.slots.get("ha_area")
                area = home.find_area(str(spoken)) if spoken else None
                if spoken and area is None:
                    raise SkillError(f"I don't know a room called {spoken} in Home Assistant.")
                lights = home.in_area(area, LIGHTS)
                where = f"in the {area.name}" if area else "in the home"
                if not lights:
                    raise SkillError(f"There are no lights {where} that I know of.")
                link().act_on_many(lights, services.ServiceCall("light", "turn_on" if on else "turn_off"))
                count = "The light" if len(lights) == 1 else f"All {len(lights)} lights"
                return ActionResult(
                    speech=f"{count} {where} {'is' if len(lights) == 1 else 'are'} {'on' if on else 'off'}.",
                    data={"entity_ids": [e.entity_id for e in lights]},
                )

            return _run(act)

        return handle

    for on in (True, False):
        state = "on" if on else "off"
        plugin.intent(
            f"homeassistant.area_{state}",
            sentences=[
                f"(turn|switch) {state} [all] [the] lights in [the] {{ha_area}}",
                f"(turn|switch) {state} [all] [the] {{ha_area}} lights",
                f"(turn|switch) [all] [the] lights in [the] {{ha_area}} {state}",
                f"(turn|switch) {state} all [of] [the] lights",
                f"(turn|switch) all [of] [the] lights {state}",
            ],
            slots=[Slot("ha_area", "Which room?", required=False)],
            examples=[f"turn {state} the lights in the kitchen", f"turn {state} all the lights"],
            description=f"Turn every light in a room, or in the home, {state}.",
        )(area_switch(on))

    def set_brightness(request: ActionRequest, context: SkillContext) -> ActionResult:
        level = _percent(request.slots.get("brightness"), "brightness")
        return _run(lambda: _done(link().act(e := _find(link(), str(request.slots["ha_name"])), services.brightness(e, level))))

    plugin.intent(
        "homeassistant.set_brightness",
        sentences=[
            "(set|dim|turn) [the] {ha_name} [brightness] to {brightness} [percent]",
            "(set|dim) [the] brightness of [the] {ha_name} to {brightness} [percent]",
        ],
        slots=[which, Slot("brightness", "To what brightness, from 0 to 100?", required=True)],
        examples=["set the bed light to 40 percent"],
        description="Set a light's brightness.",
    )(set_brightness)

    def step(sign: int) -> Callable[[ActionRequest, SkillContext], ActionResult]:
        def handle(request: ActionRequest, context: SkillContext) -> ActionResult:
            def act() -> ActionResult:
                call = services.ServiceCall("light", "turn_on", {"brightness_step_pct": sign * services.DIM_STEP})
                if request.slots.get("ha_name"):
                    entity = _find(link(), str(request.slots["ha_name"]))
                    return _done(link().act(entity, services.step_brightness(entity, sign * services.DIM_STEP)))
                home = _check_link(link())
                area = home.find_area(str(request.slots.get("ha_area", "")))
                if area is None:
                    raise SkillError(f"I don't know a room called {request.slots.get('ha_area')} in Home Assistant.")
                lights = [e for e in home.in_area(area, LIGHTS) if e.state == "on"]
                if not lights:
                    raise SkillError(f"No lights are on in the {area.name}.")
                link().act_on_many(lights, call)
                return ActionResult(speech=f"I {'dimmed' if sign < 0 else 'brightened'} the lights in the {area.name}.")

            return _run(act)

        return handle

    for verb, sign in (("dim", -1), ("brighten", 1)):
        plugin.intent(
            f"homeassistant.{verb}",
            sentences=[
                f"{verb} [the] {{ha_name}}",
                f"{verb} [the] lights in [the] {{ha_area}}",
                f"{verb} [the] {{ha_area}} lights",
            ],
            slots=[Slot("ha_name", "Which light?", required=False), Slot("ha_area", "Which room?", required=False)],
            examples=[f"{verb} the kitchen lights"],
            description=f"{verb.capitalize()} a light, or the lights in a room, by {services.DIM_STEP} percent.",
        )(step(sign))

    def set_colour(request: ActionRequest, context: SkillContext) -> ActionResult:
        colour = str(request.slots["ha_colour"])
        return _run(
            lambda: _done(
                link().act(e := _find(link(), str(request.slots["ha_name"])), services.colour(e, colour)),
                f"The {e.name} is {colour}.",
            )
        )

    plugin.intent(
        "homeassistant.set_colour",
        sentences=["(set|turn|make) [the] {ha_name} [colour|color] [to] {ha_colour}"],
        slots=[which, Slot("ha_colour", "Which colour?", required=True)],
        examples=["turn the bed light red"],
        description="Change a light's colour.",
    )(set_colour)

    def set_temperature(request: ActionRequest, context: SkillContext) -> ActionResult:
        try:
            degrees = parse_number(str(request.slots.get("temperature", "")).removesuffix(" degrees"))
        except ParseError:
            raise SkillError("Say a temperature in degrees, like 21.") from None

        def act() -> ActionResult:
            if request.slots.get("ha_name"):
                entity = _find(link(), str(request.slots["ha_name"]))
            else:
                home = _check_link(link())
                area = home.find_area(str(request.slots.get("ha_area", ""))) if request.slots.get("ha_area") else None
                thermostats = home.in_area(area, frozenset({"climate"}))
                if len(thermostats) != 1:
                    where = f" in the {area.name}" if area else ""
                    raise SkillError(
                        f"I know {len(thermostats) or 'no'} thermostats{where}; say which one, like "
                        f"\u201cset the {thermostats[0].name if thermostats else 'hallway thermostat'} to 21 degrees\u201d."
                    )
                entity = thermostats[0]
            updated = link().act(entity, services.temperature(entity, float(degrees)))
            return _done(updated, f"The {updated.name} is set to {degrees:g} degrees.")

        return _run(act)

    plugin.intent(
        "homeassistant.set_temperature",
        sentences=[
            "set [the] {ha_name} [temperature] to {temperature} degrees",
            "set the (temperature|thermostat|heating) [in [the] {ha_area}] to {temperature} [degrees]",
        ],
        slots=[
            Slot("ha_name", "Which thermostat?", required=False),
            Slot("ha_area", "Which room?", required=False),
            Slot("temperature", "To how many degrees?", required=True),
        ],
        examples=["set the hvac to 21 degrees"],
        description="Set a thermostat.",
    )(set_temperature)

    def guarded(intent: str, verb: str, make: Callable[[Entity], services.ServiceCall], done: str) -> None:
        def handle(request: ActionRequest, context: SkillContext) -> ActionResult:
            def act() -> ActionResult:
                entity = _find(link(), str(request.slots["ha_name"]))
                updated = link().act(entity, make(entity), wait=5.0)
                return _done(updated, f"{done.format(name=updated.name)} {describe.describe(updated)}")

            return _run(act)

        plugin.intent(
            f"homeassistant.{intent}",
            sentences=[f"{verb} [the] {{ha_name}}"],
            slots=[which],
            needs_confirmation=True,
            examples=[f"{verb} the {'garage door' if intent in ('open', 'close') else 'front door' if 'lock' in intent else 'security'}"],
            description=f"{verb.capitalize()} a Home Assistant {'cover' if intent in ('open', 'close') else 'lock' if 'lock' in intent else 'alarm'} (asks first).",
        )(handle)

    guarded("open", "open", lambda e: services.cover(e, True), "Done.")
    guarded("close", "close", lambda e: services.cover(e, False), "Done.")
    guarded("lock", "lock", lambda e: services.lock(e, True), "Done.")
    guarded("unlock", "unlock", lambda e: services.lock(e, False), "Done.")
    guarded("arm", "arm", lambda e: services.alarm(e, True), "Done.")
    guarded("disarm", "disarm", lambda e: services.alarm(e, False), "Done.")

    def media(play: bool) -> Callable[[ActionRequest, SkillContext], ActionResult]:
        def handle(request: ActionRequest, context: SkillContext) -> ActionResult:
            return _run(lambda: _done(link().act(e := _find(link(), str(request.slots["ha_name"])), services.media(e, play))))

        return handle

    plugin.intent("homeassistant.play", sentences=["(play|resume) [the] {ha_name}", "(play|resume) [music|it] on [the] {ha_name}"],
                  slots=[which], examples=["resume the bedroom"], description="Play or resume a media player.")(media(True))
    plugin.intent("homeassistant.pause", sentences=["pause [the] {ha_name}", "pause [the] music on [the] {ha_name}"],
                  slots=[which], examples=["pause the living room"], description="Pause a media player.")(media(False))

    def set_volume(request: ActionRequest, context: SkillContext) -> ActionResult:
        level = _percent(request.slots.get("volume"), "volume")
        return _run(
            lambda: _done(
                link().act(e := _find(link(), str(request.slots["ha_name"])), services.volume(e, level)),
                f"The {e.name} volume is at {level} percent.",
            )
        )

    plugin.intent(
        "homeassistant.set_volume",
        sentences=[
            "set [the] volume (of|on) [the] {ha_name} to {volume} [percent]",
            "set [the] {ha_name} volume to {volume} [percent]",
        ],
        slots=[which, Slot("volume", "To what volume, from 0 to 100?", required=True)],
        examples=["set the volume of the kitchen to 30 percent"],
        description="Set a media player's volume.",
    )(set_volume)

    def activate(request: ActionRequest, context: SkillContext) -> ActionResult:
        def act() -> ActionResult:
            entity = _find(link(), str(request.slots["ha_name"]), frozenset({"scene", "script"}))
            link().act(entity, services.switch(entity, True), wait=0.5)
            kind = "scene" if entity.domain == "scene" else "script"
            return ActionResult(speech=f"The {entity.name} {kind} is on." if kind == "scene" else f"I ran {entity.name}.",
                                data={"entity_id": entity.entity_id})

        return _run(act)

    plugin.intent(
        "homeassistant.activate",
        sentences=["(activate|start|run) [the] {ha_name} [scene|script]", "scene {ha_name}"],
        slots=[Slot("ha_name", "Which scene or script?", required=True)],
        examples=["activate the movie time scene"],
        description="Turn on a Home Assistant scene or run a script.",
    )(activate)

    def is_state(request: ActionRequest, context: SkillContext) -> ActionResult:
        def act() -> ActionResult:
            entity = _find(link(), str(request.slots["ha_name"]))
            asked = str(request.slots["ha_condition"])
            answer = describe.is_state(entity, asked) if entity.available else None
            if answer is None:
                return _done(entity, f"I don't know whether the {entity.name} is {asked}. {describe.describe(entity)}")
            return _done(entity, f"{'Yes' if answer else 'No'}. {describe.describe(entity)}")

        return _run(act)

    plugin.intent(
        "homeassistant.is_state",
        sentences=["is [the] {ha_name} {ha_condition}", "are [the] {ha_name} {ha_condition}"],
        slots=[which, Slot("ha_condition", "On, off, open or closed?", required=True)],
        examples=["is the garage door open"],
        description="Ask whether a device is on, off, open, closed, locked...",
    )(is_state)

    def state(request: ActionRequest, context: SkillContext) -> ActionResult:
        return _run(lambda: _done(_find(link(), str(request.slots["ha_name"]))))

    plugin.intent(
        "homeassistant.state",
        sentences=[
            "(what is|what's) [the] (state|status) of [the] {ha_name}",
            "(what is|what's) [the] {ha_name} (doing|set to)",
            "how is [the] {ha_name}",
        ],
        slots=[which],
        examples=["what's the state of the hvac"],
        description="Ask how a device is.",
    )(state)

    def area_temperature(request: ActionRequest, context: SkillContext) -> ActionResult:
        def act() -> ActionResult:
            home = _check_link(link())
            spoken = str(request.slots["ha_area"])
            area = home.find_area(spoken)
            if area is None:
                raise SkillError(f"I don't know a room called {spoken} in Home Assistant.")
            reading = describe.temperature_of(home.in_area(area, frozenset({"sensor", "climate"})))
            if reading is None:
                return ActionResult(speech=f"I don't know: nothing in the {area.name} measures the temperature.", ok=False)
            return ActionResult(speech=f"It's {reading:g} degrees in the {area.name}.", data={"temperature": reading})

        return _run(act)

    plugin.intent(
        "homeassistant.area_temperature",
        sentences=[
            "(what is|what's) the temperature in [the] {ha_area}",
            "how (warm|cold|hot) is [it in] [the] {ha_area}",
        ],
        slots=[Slot("ha_area", "Which room?", required=True)],
        examples=["what's the temperature in the living room"],
        description="The temperature in a room, from its sensor or thermostat.",
    )(area_temperature)

    def status(request: ActionRequest, context: SkillContext) -> ActionResult:
        current = link().status
        if link().connection.ready.is_set():
            home = link().home()
            return ActionResult(speech=f"I'm connected to Home Assistant and know {len(home.listened_for())} devices.")
        return ActionResult(speech=current.detail or "I'm not connected to Home Assistant.", ok=False)

    plugin.intent(
        "homeassistant.status",
        sentences=["(is|are) [you] [connected to] home assistant [connected|working|up]", "home assistant status"],
        examples=["is home assistant connected"],
        description="Whether Home Assistant is connected, and if not, why.",
    )(status)


__all__ = ["create_plugin", "normalize"]
