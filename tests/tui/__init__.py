"""Tests of the terminal UI (pilot tests on the real assistant, and snapshots)."""
