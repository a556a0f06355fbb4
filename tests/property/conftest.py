"""Hypothesis settings for the property tests.

The "ci" profile (the default) keeps every property to a modest number of examples, so the
whole folder takes well under a minute on two busy cores; no deadline, because a busy
machine is slow, not wrong (inputs are kept small instead). For a longer hunt:
``HYPOTHESIS_PROFILE=thorough pytest tests/property``.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    database=None,  # nothing written into the work tree; a failure prints its reproduction
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", parent=settings.get_profile("ci"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
