"""Switching and setting: on/off, toggle, rooms and the whole home, brightness, dimming,
colour and temperature."""

from __future__ import annotations

from collections.abc import Callable

from assistant.plugins.api import ActionRequest, ActionResult, Plugin, SkillContext, SkillError
from assistant.plugins.api import SlotSpec as Slot
from assistant.skills.parsing import ParseError, parse_number
from assistant_homeassistant import describe, services
from assistant_homeassistant.handling import LinkGetter, check_link, done, find, percent, run

LIGHTS = frozenset({"light"})
Handler = Callable[[ActionRequest, SkillContext], ActionResult]


def declare(plugin: Plugin, link: LinkGetter) -> None:
    which = Slot("ha_name", "Which device?", required=True)

    def switch(on: bool) -> Callable[[ActionRequest, SkillContext], ActionResult]:
        def handle(request: ActionRequest, context: SkillContext) -> ActionResult:
            def act() -> ActionResult:
                entity = find(link(), str(request.slots["ha_name"]))
                if entity.domain in ("cover", "lock", "alarm_control_panel"):
                    verb = {
                        "cover": "open or close",
                        "lock": "lock or unlock",
                        "alarm_control_panel": "arm or disarm",
                    }
                    raise SkillError(f"Say {verb[entity.domain]} the {entity.name} for that.")
                return done(link().act(entity, services.switch(entity, on)))

            return run(act)

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
        return run(
            lambda: done(link().act(e := find(link(), str(request.slots["ha_name"])), services.toggle(e)))
        )

    plugin.intent(
        "homeassistant.toggle",
        sentences=["toggle [the] {ha_name}"],
        slots=[which],
        examples=["toggle the bed light"],
        description="Toggle a Home Assistant device.",
    )(toggle)

    def area_switch(on: bool) -> Callable[[ActionRequest, SkillContext], ActionResult]:
        def handle(request: ActionRequest, context: SkillContext) -> ActionResult:
            def act() -> ActionResult:
                home = check_link(link())
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

            return run(act)

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
        level = percent(request.slots.get("brightness"), "brightness")
        return run(
            lambda: done(
                link().act(e := find(link(), str(request.slots["ha_name"])), services.brightness(e, level))
            )
        )

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
                call = services.ServiceCall(
                    "light", "turn_on", {"brightness_step_pct": sign * services.DIM_STEP}
                )
                if request.slots.get("ha_name"):
                    entity = find(link(), str(request.slots["ha_name"]))
                    return done(
                        link().act(entity, services.step_brightness(entity, sign * services.DIM_STEP))
                    )
                home = check_link(link())
                area = home.find_area(str(request.slots.get("ha_area", "")))
                if area is None:
                    raise SkillError(
                        f"I don't know a room called {request.slots.get('ha_area')} in Home Assistant."
                    )
                lights = [e for e in home.in_area(area, LIGHTS) if e.state == "on"]
                if not lights:
                    raise SkillError(f"No lights are on in the {area.name}.")
                link().act_on_many(lights, call)
                return ActionResult(
                    speech=f"I {'dimmed' if sign < 0 else 'brightened'} the lights in the {area.name}."
                )

            return run(act)

        return handle

    for verb, sign in (("dim", -1), ("brighten", 1)):
        plugin.intent(
            f"homeassistant.{verb}",
            sentences=[
                f"{verb} [the] {{ha_name}}",
                f"{verb} [the] lights in [the] {{ha_area}}",
                f"{verb} [the] {{ha_area}} lights",
            ],
            slots=[
                Slot("ha_name", "Which light?", required=False),
                Slot("ha_area", "Which room?", required=False),
            ],
            examples=[f"{verb} the kitchen lights"],
            description=f"{verb.capitalize()} a light, or a room's lights, by {services.DIM_STEP} percent.",
        )(step(sign))

    def set_colour(request: ActionRequest, context: SkillContext) -> ActionResult:
        colour = str(request.slots["ha_colour"])
        return run(
            lambda: done(
                link().act(e := find(link(), str(request.slots["ha_name"])), services.colour(e, colour)),
                f"The {e.name} {'are' if describe.plural(e.name) else 'is'} {colour}.",
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
                entity = find(link(), str(request.slots["ha_name"]))
            else:
                home = check_link(link())
                area = (
                    home.find_area(str(request.slots.get("ha_area", "")))
                    if request.slots.get("ha_area")
                    else None
                )
                thermostats = home.in_area(area, frozenset({"climate"}))
                if len(thermostats) != 1:
                    where = f" in the {area.name}" if area else ""
                    example = thermostats[0].name if thermostats else "hallway thermostat"
                    raise SkillError(
                        f"I know {len(thermostats) or 'no'} thermostats{where}; say which one, "
                        f"like \u201cset the {example} to 21 degrees\u201d."
                    )
                entity = thermostats[0]
            updated = link().act(entity, services.temperature(entity, float(degrees)))
            return done(updated, f"The {updated.name} is set to {degrees:g} degrees.")

        return run(act)

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
