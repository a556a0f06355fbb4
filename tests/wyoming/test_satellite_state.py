"""A satellite's state for the UI, from its link and its voice loop: one event per change."""

from __future__ import annotations

import time

from assistant.events import Event, SatelliteChanged, StatusChanged
from assistant.wyoming.satellite_state import SatelliteState


def recorded() -> tuple[SatelliteState, list[Event]]:
    published: list[Event] = []
    return SatelliteState("tcp://kitchen:10700", published.append, lambda: ("kitchen", "Kitchen")), published


def states(published: list[Event]) -> list[str]:
    return [event.state for event in published if isinstance(event, SatelliteChanged)]


def test_a_turn_is_followed_and_level_reports_are_not_changes() -> None:
    state, published = recorded()
    state.connecting()
    state.follow_loop(StatusChanged(state="listening"))  # before it was asked to stream: not yet
    state.connected()
    for status in (
        StatusChanged(state="listening", level=0.2),  # a level report
        StatusChanged(state="listening", detail="request"),  # woken: listening for the request
        StatusChanged(state="listening", level=0.3),
        StatusChanged(state="hearing"),
        StatusChanged(state="hearing", level=0.5),
        StatusChanged(state="thinking"),
        StatusChanged(state="speaking"),
        StatusChanged(state="listening"),  # waiting for the wake word again
    ):
        state.follow_loop(status)
    assert states(published) == ["connecting", "connected", "listening", "thinking", "speaking", "connected"]
    assert {(event.name, event.area) for event in published if isinstance(event, SatelliteChanged)} == {
        ("kitchen", "Kitchen")
    }


def test_unreachable_says_why_and_when_it_tries_again() -> None:
    state, published = recorded()
    state.connecting()
    state.unreachable("tcp://kitchen:10700 refused the connection.", time.monotonic() + 4.0)
    state.follow_loop(StatusChanged(state="speaking"))  # the old loop winding down: not shown
    [*_, last] = published
    assert isinstance(last, SatelliteChanged) and last.state == "unreachable"
    assert "refused" in last.detail
    assert 3.0 < last.retry_at - time.time() <= 4.0
    assert states(published) == ["connecting", "unreachable"]
