"""Shared fixtures for the speech tests: streams spoken at test time by tests/speechgen.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.speechgen import DISTRACTORS as ALL_DISTRACTORS
from tests.speechgen import StreamBuilder

DISTRACTORS = ALL_DISTRACTORS[:5]


@pytest.fixture(scope="session")
def speech_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("speech")


def wake_stream() -> StreamBuilder:
    """About 12 s: distractor speech, the wake phrase and a request, more distractor speech."""
    builder = StreamBuilder()
    builder.say(DISTRACTORS[0]).pause(0.8)
    builder.say("hey computer", label="wake").pause(0.4)
    builder.say("set a timer for ten minutes", label="request").pause(1.5)
    builder.say(DISTRACTORS[2]).pause(0.6)
    builder.say(DISTRACTORS[3]).pause(0.8)
    return builder


def distractor_stream() -> StreamBuilder:
    builder = StreamBuilder()
    for text in DISTRACTORS:
        builder.say(text).pause(0.6)
    return builder
