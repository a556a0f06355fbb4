"""What plug-in authors write against.

A plug-in is one ``.py`` file in the plug-ins folder (or a package exposing
an ``assistant.plugins`` entry point) that creates a ``Plugin``::

    from assistant.plugins.api import Plugin

    plugin = Plugin("greeter", description="Says hello.")

    @plugin.intent("greeter.hello", sentences=["say hello to {person}"], slots={"person": "To whom?"})
    def hello(request, context):
        return f"Hello, {request.slots['person']}!"

Handlers take ``(request, context)`` (``ActionRequest``, ``SkillContext``) and
return a string to say or an ``ActionResult``; raise ``SkillError`` to say a
problem. Everything declared is checked when the plug-in loads, and a
mistake fails that plug-in alone, with the reason shown by ``assistant plugins``.
See docs/plugins.md.
"""

from __future__ import annotations

import builtins
import inspect
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

from assistant.devices import Device, DeviceRegistry
from assistant.skills.base import ActionRequest, ActionResult, IntentSpec, SkillContext, SkillError, SlotSpec

__all__ = [
    "ActionRequest",
    "ActionResult",
    "Device",
    "Plugin",
    "PluginError",
    "PluginUnavailable",
    "SkillContext",
    "SkillError",
    "SlotSpec",
]

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")
INTENT_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
SLOT_PATTERN = re.compile(r"^[a-z_][a-z0-9_]*$")
PLACEHOLDER = re.compile(r"\{([^{}]+)\}")

Handler = Callable[[ActionRequest, SkillContext], "ActionResult | str"]


class PluginError(ValueError):
    """A declaration makes no sense; the message says what to change."""


class PluginUnavailable(Exception):
    """Raise from an ``on_load`` hook when the plug-in cannot work here (tool missing...).

    The plug-in is then listed as disabled with this message, not as failed.
    """


@dataclass
class SlotList:
    """Values a slot can take: spoken form -> value given to the handler."""

    name: str
    values: list[tuple[str, str]] = field(default_factory=list)
    wildcard: bool = False


@dataclass
class IntentDeclaration:
    """One ``@plugin.intent`` as written, before it is checked."""

    name: str
    handler: Handler
    sentences: list[str]
    slots: list[SlotSpec]
    needs_confirmation: bool
    description: str
    examples: list[str]
    confirm: str = ""


class Plugin:
    """A plug-in: intents with sentences and handlers, devices, slot lists and settings."""

    def __init__(self, name: str, *, description: str = "", version: str = "") -> None:
        self.name = name
        self.description = description
        self.version = version
        self.intents: list[IntentDeclaration] = []
        self.devices: list[Device] = []
        self.lists: dict[str, SlotList] = {}
        self.defaults: dict[str, Any] = {}
        self.settings: dict[str, Any] = {}
        """Current setting values: the defaults, overridden by ``settings.json`` ``extra.<name>``."""
        self.load_hooks: list[Callable[[Plugin], None]] = []
        self.close_hooks: list[Callable[[], None]] = []
        self.live_lists: dict[str, builtins.list[str]] = {}
        """Slot lists filled while running (``update_list``), with their values now."""
        self.phrases: builtins.list[str] = []
        """Requests in the user's own words for the recognizer (``update_phrases``)."""
        self._live: LiveTarget | None = None

    # --- declarations ---------------------------------------------------

    def intent(
        self,
        name: str,
        *,
        sentences: Sequence[str] = (),
        slots: Mapping[str, str] | Sequence[SlotSpec] | None = None,
        needs_confirmation: bool = False,
        description: str = "",
        examples: Sequence[str] = (),
        confirm: str = "",
    ) -> Callable[[Handler], Handler]:
        """Declare an intent handled by the decorated function.

        ``sentences`` are Home Assistant templates ("set [the] volume to {level} percent").
        ``slots`` maps each required slot to the question asked when it is missing, or is a
        list of ``SlotSpec`` for optional slots. Slots without a ``plugin.list`` are wildcards.
        ``confirm`` words the question ``needs_confirmation`` asks: "open the {device}" gives
        "Are you sure you want me to open the garage door?".
        """

        def decorate(handler: Handler) -> Handler:
            self.intents.append(
                IntentDeclaration(
                    name=name,
                    handler=handler,
                    sentences=list(sentences),
                    slots=_slot_specs(slots),
                    needs_confirmation=needs_confirmation,
                    description=description or (inspect.getdoc(handler) or "").split("\n")[0],
                    examples=list(examples),
                    confirm=confirm,
                )
            )
            return handler

        return decorate

    def device(self, device: Device) -> Device:
        """Expose a device (lamp, player...); it is removed when the plug-in unloads."""
        device.plugin = self.name
        self.devices.append(device)
        return device

    def list(
        self, name: str, values: Iterable[str] | Mapping[str, str] = (), *, wildcard: bool = False
    ) -> None:
        """Declare the values a slot can take: a list of words, or spoken form -> value."""
        pairs = list(values.items()) if isinstance(values, Mapping) else [(v, v) for v in values]
        self.lists[name] = SlotList(name, [(str(k), str(v)) for k, v in pairs], wildcard)

    def live_list(self, name: str) -> None:
        """Declare a slot list the plug-in fills while running with ``update_list`` (the names
        of a home's devices and rooms). It matches nothing until it has values."""
        self.live_lists.setdefault(name, [])

    def update_list(self, name: str, values: Iterable[str]) -> None:
        """New values for a ``live_list``; understanding and the recognizer follow at once."""
        if name not in self.live_lists:
            raise PluginError(f"update_list({name!r}): declare it first with plugin.live_list({name!r}).")
        self.live_lists[name] = builtins.list(dict.fromkeys(str(value) for value in values))
        if self._live is not None:
            self._live.skills.update_list(name, self.live_lists[name], self.name)

    def update_phrases(self, phrases: Iterable[str]) -> None:
        """Whole requests the plug-in expects in the words of the user's world ("turn on the
        desk lamp", "open the garage door"): the recognizer listens for them (the grammar
        pass and Whisper's prompt). Understanding is unchanged: the sentences decide that."""
        self.phrases = builtins.list(dict.fromkeys(" ".join(str(p).lower().split()) for p in phrases))
        if self._live is not None:
            self._live.skills.update_phrases(self.phrases, self.name)

    def update_devices(self, devices: Iterable[Device]) -> None:
        """The plug-in's devices now, for a home that changes while running (devices added,
        renamed or removed); the ``{device}`` list follows at once."""
        self.devices = builtins.list(devices)
        for device in self.devices:
            device.plugin = self.name
        if self._live is not None:
            self._live.devices.replace_plugin(self.name, self.devices)

    def report_state(self, device_id: str, state: dict[str, Any]) -> None:
        """A state the device reports by itself (switched at the wall, by another app), so
        learning sees it as it sees the assistant's own changes."""
        if self._live is not None:
            self._live.devices.report(device_id, state)
        else:
            for device in self.devices:
                if device.id == device_id:
                    device.state = dict(state)

    def setting(self, name: str, default: Any) -> Any:
        """Declare a setting; users change it in settings.json under ``extra.<plugin>.<name>``."""
        self.defaults[name] = default
        self.settings.setdefault(name, default)
        return self.settings[name]

    def on_load(self, hook: Callable[[Plugin], None]) -> Callable[[Plugin], None]:
        """Run ``hook(plugin)`` when loaded (after settings are applied); may raise PluginUnavailable."""
        self.load_hooks.append(hook)
        return hook

    def on_close(self, hook: Callable[[], None]) -> Callable[[], None]:
        """Run ``hook()`` when the assistant closes: end connections, stop threads."""
        self.close_hooks.append(hook)
        return hook

    # --- used by the loader ---------------------------------------------

    def close(self) -> None:
        for hook in self.close_hooks:
            hook()

    def go_live(self, target: LiveTarget) -> None:
        """From now on ``update_list``, ``update_phrases``, ``update_devices`` and
        ``report_state`` reach ``target``."""
        self._live = target

    def apply_settings(self, values: Mapping[str, Any] | None) -> None:
        """Defaults, then the user's values; unknown names are refused with a clear reason."""
        values = dict(values or {})
        values.pop("enabled", None)
        unknown = sorted(set(values) - set(self.defaults))
        if unknown:
            raise PluginError(
                f"settings.json has unknown settings for {self.name}: {', '.join(unknown)} "
                f"(it knows: {', '.join(sorted(self.defaults)) or 'none'})."
            )
        self.settings = {**self.defaults, **values}

    def validate(self) -> None:
        """Raise PluginError with a reason a plug-in author can act on."""
        if not isinstance(self.name, str) or not NAME_PATTERN.match(self.name):
            raise PluginError(
                f"The plug-in name {self.name!r} must be lower-case letters, digits, '-' or '_', "
                "starting with a letter."
            )
        if not self.intents and not self.devices:
            raise PluginError("The plug-in declares no intents and no devices, so it does nothing.")
        seen: set[str] = set()
        for declaration in self.intents:
            _validate_intent(declaration, self.lists, self.live_lists)
            if declaration.name in seen:
                raise PluginError(f"The intent {declaration.name} is declared twice.")
            seen.add(declaration.name)
        device_ids: set[str] = set()
        for device in self.devices:
            if not isinstance(device, Device):
                raise PluginError(f"plugin.device() takes a Device, not {type(device).__name__}.")
            if not device.id or not device.name:
                raise PluginError("Every device needs an id and a name.")
            if device.id in device_ids:
                raise PluginError(f"The device id {device.id} is used twice.")
            device_ids.add(device.id)
        for slot_list in self.lists.values():
            if not SLOT_PATTERN.match(slot_list.name):
                raise PluginError(
                    f"The list name {slot_list.name!r} must be lower-case letters, digits or '_'."
                )
            if not slot_list.wildcard and not slot_list.values:
                raise PluginError(f"The list {slot_list.name} has no values.")

    def intent_specs(self) -> builtins.list[IntentSpec]:
        # Handlers may return a plain string; the registry turns it into an ActionResult.
        return [
            IntentSpec(
                name=d.name,
                handler=cast(Callable[[ActionRequest, SkillContext], ActionResult], d.handler),
                slots=builtins.list(d.slots),
                needs_confirmation=d.needs_confirmation,
                description=d.description,
                examples=list(d.examples),
                confirm=d.confirm,
            )
            for d in self.intents
        ]

    def sentences_document(self) -> dict[str, Any]:
        """The Home Assistant intents YAML for what was declared in code."""
        intents = {d.name: {"data": [{"sentences": list(d.sentences)}]} for d in self.intents if d.sentences}
        lists: dict[str, Any] = {}
        for slot_list in self.lists.values():
            if slot_list.wildcard:
                lists[slot_list.name] = {"wildcard": True}
            else:
                lists[slot_list.name] = {"values": [{"in": k, "out": v} for k, v in slot_list.values]}
        for declaration in self.intents:
            for placeholder in placeholders(declaration.sentences):
                list_name = placeholder.split(":")[0]
                if (
                    list_name not in lists
                    and list_name not in SHARED_LISTS
                    and list_name not in self.live_lists
                ):
                    lists[list_name] = {"wildcard": True}
        return {"language": "en", "intents": intents, "lists": lists}


class ListSink(Protocol):
    """Takes a plug-in's new list values (the ``SkillRegistry``)."""

    def update_list(self, name: str, values: builtins.list[str], source: str) -> None: ...

    def update_phrases(self, phrases: builtins.list[str], source: str) -> None: ...


@dataclass
class LiveTarget:
    """Where a loaded plug-in's live changes go: the assistant's skill and device registries."""

    skills: ListSink
    devices: DeviceRegistry


SHARED_LISTS = frozenset({"device", "list_name"})
"""Lists the assistant fills itself (device names, the user's list names)."""


def placeholders(sentences: Iterable[str]) -> list[str]:
    """'{device}' and '{percent:level}' in templates -> ['device', 'percent:level']."""
    return [match.strip() for sentence in sentences for match in PLACEHOLDER.findall(sentence)]


def _slot_specs(slots: Mapping[str, str] | Sequence[SlotSpec] | None) -> list[SlotSpec]:
    if slots is None:
        return []
    if isinstance(slots, Mapping):
        return [SlotSpec(name=str(k), question=str(v)) for k, v in slots.items()]
    if isinstance(slots, (str, bytes)):
        raise PluginError("slots must be a dict of name -> question, or a list of SlotSpec, not a string.")
    specs = list(slots)
    for spec in specs:
        if not isinstance(spec, SlotSpec):
            raise PluginError(f"slots must hold SlotSpec objects, not {type(spec).__name__}.")
    return specs


def _validate_intent(
    declaration: IntentDeclaration, lists: Mapping[str, SlotList], live_lists: Iterable[str] = ()
) -> None:
    from hassil import parse_sentence  # the same parser the understanding stage uses

    name = declaration.name
    if not isinstance(name, str) or not INTENT_PATTERN.match(name):
        raise PluginError(f"The intent name {name!r} must be dotted lower-case words, like 'volume.set'.")
    if not callable(declaration.handler):
        raise PluginError(f"The handler for {name} is not a function.")
    try:
        inspect.signature(declaration.handler).bind(object(), object())
    except TypeError:
        raise PluginError(f"The handler for {name} must take two arguments: (request, context).") from None
    except ValueError:
        pass  # built-ins without a signature: trust them
    if isinstance(declaration.sentences, str) or not all(isinstance(s, str) for s in declaration.sentences):
        raise PluginError(f"The sentences of {name} must be a list of strings.")
    slot_names = {spec.name for spec in declaration.slots}
    for spec in declaration.slots:
        if not SLOT_PATTERN.match(spec.name):
            raise PluginError(
                f"The slot name {spec.name!r} of {name} must be lower-case letters, digits or '_'."
            )
        if spec.required and not spec.question.strip():
            raise PluginError(f"The required slot {spec.name} of {name} needs a question to ask for it.")
    for sentence in declaration.sentences:
        if not sentence.strip():
            raise PluginError(f"{name} has an empty sentence.")
        try:
            parse_sentence(sentence)
        except Exception as error:  # hassil raises several kinds; all mean a broken template
            raise PluginError(
                f"The sentence {sentence!r} of {name} is not a valid template: {error}"
            ) from None
        for placeholder in placeholders([sentence]):
            list_name, _, slot_name = placeholder.partition(":")
            if not SLOT_PATTERN.match(list_name) or (slot_name and not SLOT_PATTERN.match(slot_name)):
                raise PluginError(f"The sentence {sentence!r} of {name} has a bad slot {{{placeholder}}}.")
            known = (
                list_name in lists
                or list_name in SHARED_LISTS
                or list_name in live_lists
                or (slot_name or list_name) in slot_names
            )
            if not known:
                raise PluginError(
                    f"The sentence {sentence!r} of {name} uses {{{list_name}}}, but no slot or list of "
                    f"that name is declared. Add slots={{'{list_name}': 'question?'}} or "
                    f"plugin.list('{list_name}', [...])."
                )
