"""Errors of the audio stage, each with a message a user can act on."""

from __future__ import annotations


class AudioError(Exception):
    """An audio file or stream cannot be used (empty, not a WAV, truncated, odd format)."""


class AudioUnavailable(AudioError):
    """Sound hardware or its library (PortAudio) is missing; typed input still works."""
