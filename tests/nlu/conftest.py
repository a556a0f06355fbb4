"""A small Understanding with a few skills' worth of sentences, shared by the tests."""

from __future__ import annotations

from datetime import datetime

import pytest

from assistant.nlu.engine import Understanding

SENTENCES = {
    "language": "en",
    "intents": {
        "HassTurnOn": {"data": [{"sentences": ["(turn|switch) on [the] {name}", "[the] {name} on"]}]},
        "HassTurnOff": {"data": [{"sentences": ["(turn|switch) off [the] {name}", "[the] {name} off"]}]},
        "StartTimer": {
            "data": [{"sentences": ["set [a] timer for {duration}", "start [a] {duration} timer"]}]
        },
        "SetBrightness": {
            "data": [{"sentences": ["(set|dim) [the] {name} [brightness] to {brightness} [percent]"]}]
        },
        "PlayMusic": {"data": [{"sentences": ["play [some] {genre} [music]", "play [some] music"]}]},
        "SetAlarm": {
            "data": [{"sentences": ["(set|create) [an] alarm (for|at) {time}", "wake me up at {time}"]}]
        },
        "Weather": {
            "data": [
                {"sentences": ["what's the weather [like] [today]", "(is it|will it be) (cold|hot|rainy)"]}
            ]
        },
    },
    "lists": {
        "duration": {"wildcard": True},
        "time": {"wildcard": True},
        "brightness": {"range": {"from": 0, "to": 100}},
        "genre": {"values": ["jazz", "rock", "classical"]},
    },
}
DEVICES = {"desk lamp": "light.desk", "ceiling light": "light.ceiling", "fan": "fan.desk"}
NOW = datetime(2024, 5, 8, 14, 0)  # a Wednesday afternoon


@pytest.fixture
def understanding() -> Understanding:
    result = Understanding()
    result.add_sentences(SENTENCES, source="skill:test")
    result.set_list("name", DEVICES)
    result.now = lambda: NOW
    result.train()
    return result
