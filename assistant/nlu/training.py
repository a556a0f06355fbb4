"""Fitting the understanding stage's model and tagger, here or in a process of its own.

A retrain while the assistant runs (after teaching, a new plug-in) goes to a child process,
``python -m assistant.nlu.training JOB FOLDER``, at low priority. Fitted on a thread, it
stalled requests: crfsuite keeps the GIL for seconds while it fits (turns over 2 s in the
reliability benchmark), and the memory a fit needs stayed with the assistant (~20 MB more
per 1 000 turns of a long ``serve``). The job goes to the child as a JSON file; the fitted
model comes back as the model store's file, which the assistant then reads.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import zipfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from assistant.nlu.model import IntentModel, background_sentences
from assistant.nlu.model_file import FittedModel, ModelStore
from assistant.nlu.tagger import SlotTagger

log = logging.getLogger(__name__)

TAGGER_ITERATIONS = 50
"""CRF iterations for the slot tagger of template expansions: 1.4 s instead of 2.4 s at 100
on the built-in skills' sentences, with the same tags on the sentences we tried."""
CHILD_NICENESS = 10
"""How much lower the child's priority is: requests come first on a two-core desk machine."""


_CODE_ROOT = str(Path(__file__).resolve().parents[2])
"""Where this ``assistant`` package lives: the child imports the same code as its parent."""


class TrainingFailed(RuntimeError):
    """The training process ended without a model; the message holds the end of its output."""


@dataclass
class TrainingJob:
    """Everything one fit needs, as plain data."""

    texts: list[str]
    labels: list[str | None]
    tagged: list[tuple[str, str, dict[str, str]]]
    """Slot-tagged texts for the tagger: (text, intent, slot -> words)."""
    digest: str
    seed: int
    settings: dict[str, Any]
    """The model's choices (``IntentModel.settings()``)."""
    vectors: str | None = None
    """The sentence-vector cache file, when the home keeps one."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrainingJob:
        job = cls(**data)
        job.tagged = [(str(text), str(intent), dict(slots)) for text, intent, slots in job.tagged]
        return job


def fit(job: TrainingJob, model: IntentModel) -> FittedModel:
    """Fit ``model`` (a blank one) and a slot tagger on the job's data."""
    vectors = Path(job.vectors) if job.vectors else None
    if vectors is not None and vectors.exists() and model.encoder is not None:
        try:
            model.encoder.load_vectors(vectors)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as error:
            log.info("Ignoring the sentence-vector cache %s: %s", vectors, error)
    model.fit(job.texts, job.labels, seed=job.seed)
    tagger = SlotTagger(TAGGER_ITERATIONS).fit(job.tagged)
    if vectors is not None and model.encoder is not None:
        try:
            model.encoder.save_vectors(vectors, [t.lower() for t in job.texts] + background_sentences())
        except OSError as error:
            log.info("Could not cache sentence vectors: %s", error)
    return FittedModel(model, tagger, job.digest)


def fit_apart(job: TrainingJob, folder: Path) -> FittedModel | None:
    """Fit in a child process and read back what it kept in ``folder``; raises TrainingFailed.
    None when ``folder`` cannot take the job (a read-only home): fit here instead."""
    job_file = folder / f"training-job-{job.digest}.json"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        job_file.write_text(json.dumps(job.to_json()), encoding="utf-8")
    except OSError as error:
        log.info("Training here instead of in a process of its own: %s", error)
        return None
    try:
        done = subprocess.run(
            [sys.executable, "-m", "assistant.nlu.training", str(job_file), str(folder)],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([_CODE_ROOT, os.environ.get("PYTHONPATH", "")])},
        )
    finally:
        job_file.unlink(missing_ok=True)
    if done.returncode != 0:
        said = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise TrainingFailed(f"the training process ended with code {done.returncode}: {' / '.join(said)}")
    fitted = ModelStore(folder).exact(job.digest)
    if fitted is None:
        raise TrainingFailed("the training process ended without keeping a model")
    return fitted


def main(argv: list[str]) -> int:
    job_file, folder = Path(argv[0]), Path(argv[1])
    try:
        os.nice(CHILD_NICENESS)
    except OSError:  # not allowed here: fit at the same priority
        pass
    job = TrainingJob.from_json(json.loads(job_file.read_text(encoding="utf-8")))
    fitted = fit(job, IntentModel.from_settings(job.settings))
    ModelStore(folder).save(fitted)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
