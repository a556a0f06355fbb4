"""The conversation corpus: the YAML files here, and the tests of the runner that plays them."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "corpus: plays every conversation of tests/corpus/*.yaml through a real assistant and "
        "scores it (the share of requests answered right, as `assistant test tests/corpus` does)",
    )
