"""What asks first (covers, locks, alarms), media, scenes and scripts, and the questions:
is it on, how is it, how warm is the room, is Home Assistant connected."""

from __future__ import annotations

from collections.abc import Callable

from assistant.plugins.api import ActionRequest, ActionResult, Plugin, SkillContext, SkillError
from assistant.plugins.api import SlotSpec as Slot
from assistant_homeassistant import describe, services
from assistant_homeassistant.errors import CommandFailed
from assistant_homeassistant.handling import LinkGetter, check_link, done, find, percent, run
from assistant_homeassistant.home import Entity

LIGHTS = frozenset({"light"})
Handler = Callable[[ActionRequest, SkillContext], ActionResult]


def declare(plugin: Plugin, link: LinkGetter) -> None:
    which = Slot("ha_name", "Which device?", required=True)

    # What changes who can get in, or opens the house, asks "Are you sure?" first.
    guarded = [
        ("open", services.cover, True, "the garage door", "cover"),
        ("close", services.cover, False, "the garage door", "cover"),
        ("lock", services.lock, True, "the front door", "lock"),
        ("unlock", services.lock, False, "the front door", "lock"),
        ("arm", services.alarm, True, "the security", "alarm"),
        ("disarm", services.alarm, False, "the security", "alarm"),
    ]
    for verb, make, value, example, kind in guarded:
        plugin.intent(
            f"homeassistant.{verb}",
            sentences=[f"{verb} [the] {{ha_name}}"],
            slots=[which],
            needs_confirmation=True,
            confirm=f"{verb} the {{ha_name}}",
            examples=[f"{verb} {example}"],
            description=f"{verb.capitalize()} a Home Assistant {kind} (asks first).",
        )(_guarded(link, make, value, verb))

    def media(play: bool) -> Callable[[ActionRequest, SkillContext], ActionResult]:
        def handle(request: ActionRequest, context: SkillContext) -> ActionResult:
            return run(
                lambda: done(
                    link().act(e := find(link(), str(request.slots["ha_name"])), services.media(e, play))
                )
            )

        return handle

    plugin.intent(
        "homeassistant.play",
        sentences=["(play|resume) [the] {ha_name}", "(play|resume) [music|it] on [the] {ha_name}"],
        slots=[which],
        examples=["resume the bedroom"],
        description="Play or resume a media player.",
    )(media(True))
    plugin.intent(
        "homeassistant.pause",
        sentences=["pause [the] {ha_name}", "pause [the] music on [the] {ha_name}"],
        slots=[which],
        examples=["pause the living room"],
        description="Pause a media player.",
    )(media(False))

    def set_volume(request: ActionRequest, context: SkillContext) -> ActionResult:
        level = percent(request.slots.get("volume"), "volume")
        return run(
            lambda: done(
                link().act(e := find(link(), str(request.slots["ha_name"])), services.volume(e, level)),
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
            entity = find(link(), str(request.slots["ha_name"]), frozenset({"scene", "script"}))
            link().act(entity, services.switch(entity, True), wait=0.5)
            kind = "scene" if entity.domain == "scene" else "script"
            return ActionResult(
                speech=f"The {entity.name} {kind} is on." if kind == "scene" else f"I ran {entity.name}.",
                data={"entity_id": entity.entity_id},
            )

        return run(act)

    plugin.intent(
        "homeassistant.activate",
        sentences=["(activate|start|run) [the] {ha_name} [scene|script]", "scene {ha_name}"],
        slots=[Slot("ha_name", "Which scene or script?", required=True)],
        examples=["activate the movie time scene"],
        description="Turn on a Home Assistant scene or run a script.",
    )(activate)

    def is_state(request: ActionRequest, context: SkillContext) -> ActionResult:
        def act() -> ActionResult:
            entity = find(link(), str(request.slots["ha_name"]))
            asked = str(request.slots["ha_condition"])
            answer = describe.is_state(entity, asked) if entity.available else None
            if answer is None:
                return done(
                    entity, f"I don't know whether the {entity.name} is {asked}. {describe.describe(entity)}"
                )
            return done(entity, f"{'Yes' if answer else 'No'}. {describe.describe(entity)}")

        return run(act)

    plugin.intent(
        "homeassistant.is_state",
        sentences=["is [the] {ha_name} {ha_condition}", "are [the] {ha_name} {ha_condition}"],
        slots=[which, Slot("ha_condition", "On, off, open or closed?", required=True)],
        examples=["is the garage door open"],
        description="Ask whether a device is on, off, open, closed, locked...",
    )(is_state)

    def how_is(request: ActionRequest, context: SkillContext) -> ActionResult:
        return run(lambda: done(find(link(), str(request.slots["ha_name"]))))

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
    )(how_is)

    def area_temperature(request: ActionRequest, context: SkillContext) -> ActionResult:
        def act() -> ActionResult:
            home = check_link(link())
            spoken = str(request.slots["ha_area"])
            area = home.find_area(spoken)
            if area is None:
                raise SkillError(f"I don't know a room called {spoken} in Home Assistant.")
            reading = describe.temperature_of(home.in_area(area, frozenset({"sensor", "climate"})))
            if reading is None:
                return ActionResult(
                    speech=f"I don't know: nothing in the {area.name} measures the temperature.", ok=False
                )
            return ActionResult(
                speech=f"It's {reading:g} degrees in the {area.name}.", data={"temperature": reading}
            )

        return run(act)

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
            return ActionResult(
                speech=f"I'm connected to Home Assistant and know {len(home.listened_for())} devices."
            )
        return ActionResult(speech=current.detail or "I'm not connected to Home Assistant.", ok=False)

    plugin.intent(
        "homeassistant.status",
        sentences=[
            "(is|are) [you] [connected to] home assistant [connected|working|up]",
            "home assistant status",
        ],
        examples=["is home assistant connected"],
        description="Whether Home Assistant is connected, and if not, why.",
    )(status)


def _guarded(
    link: LinkGetter, make: Callable[[Entity, bool], services.ServiceCall], value: bool, verb: str
) -> Handler:
    """Runs once the user said yes. A lock or alarm with a code asks for it (once: the
    dialogue passes the answer back as ``request.code``, masked everywhere else)."""

    def handle(request: ActionRequest, context: SkillContext) -> ActionResult:
        def act() -> ActionResult:
            entity = find(link(), str(request.slots["ha_name"]))
            call = make(entity, value)
            if services.needs_code(entity, call):
                if request.code is None:
                    return ActionResult(
                        speech=f"What's the code for the {entity.name}?",
                        asks_code=True,
                        entity=entity.entity_id,
                        entity_name=entity.spoken()[0] if entity.spoken() else entity.name,
                    )
                call = services.with_code(call, request.code)
            try:
                updated = link().act(entity, call, wait=5.0)  # locks and covers take a moment
            except CommandFailed as error:
                if request.code is None:
                    raise
                raise SkillError(
                    f"Home Assistant refused that code ({error}). You can try again: "
                    f"say \u201c{verb} the {entity.name.lower()}\u201d."
                ) from None
            return done(updated, f"Done. {describe.describe(updated)}")

        return run(act)

    return handle
