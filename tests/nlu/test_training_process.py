"""A retrain while the assistant runs fits in a process of its own (crfsuite holds the GIL
for seconds, and a fit's memory should not stay with the assistant)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.nlu import training
from assistant.nlu.engine import Understanding
from assistant.nlu.model import IntentModel
from tests.nlu.conftest import DEVICES, SENTENCES


def test_a_background_retrain_fits_in_a_child_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    understanding = Understanding(cache_dir=tmp_path)
    understanding.add_sentences(SENTENCES, source="skill:test")
    understanding.set_list("name", DEVICES)
    understanding.train()
    understanding.teach("custom.reading_mode", ["reading mode", "time to read"])
    assert understanding.needs_training

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("this process should not fit anything")

    monkeypatch.setattr(IntentModel, "fit", refuse)
    thread = understanding.train_in_background()
    assert thread is not None
    thread.join(timeout=600)
    assert not understanding.needs_training  # the child's model is the one in use
    assert understanding.parse("time to read")[0].intent == "custom.reading_mode"
    assert not list(tmp_path.glob("training-job-*"))  # the job file is gone


def test_a_failed_training_process_says_why(tmp_path: Path) -> None:
    job = training.TrainingJob(["one text"], [], [], "digest", 0, IntentModel().settings())
    with pytest.raises(training.TrainingFailed, match="ended with code"):
        training.fit_apart(job, tmp_path)
    assert not list(tmp_path.glob("intent-model-*"))


def test_a_folder_that_cannot_take_the_job_means_fitting_here(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    job = training.TrainingJob(["one text"], [None], [], "digest", 0, IntentModel().settings())
    assert training.fit_apart(job, tmp_path / "a-file" / "cache") is None
