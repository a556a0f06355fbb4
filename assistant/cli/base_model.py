"""Build the base intent model: the one a new home starts with.

The built-in skills' sentences are the same in every home, so their model is fitted
once, ahead of time (``scripts/setup.sh`` runs this), instead of in every new home at
its first start. A home whose plug-ins or taught commands differ starts from it too, with
their intents in the example memory, and retrains in the background.

    python -m assistant.cli.base_model [--check] [--output FILE]

``--check`` only says whether the file fits the sentences of this checkout (exit 0) or
must be rebuilt (exit 1).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.nlu.model_file import BASE_MODEL_PATH, FittedModel, ModelFileError, read_digest, save_fitted

if TYPE_CHECKING:
    from assistant.core import Assistant


def _builtin_assistant(folder: Path) -> Assistant:
    """An assistant with only what every home has (no plug-ins, nothing taught)."""
    from assistant.core import open_assistant

    return open_assistant(folder, plugins=False)


def built_in_digest() -> str:
    """The training digest of a new home without plug-ins."""
    with tempfile.TemporaryDirectory(prefix="base-model-") as folder:
        assistant = _builtin_assistant(Path(folder))
        try:
            return assistant.nlu.training_digest()
        finally:
            assistant.close()


def build(output: Path) -> float:
    """Fit the built-in skills' model and write it to ``output``; returns the seconds."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="base-model-") as folder:
        assistant = _builtin_assistant(Path(folder))
        try:
            nlu = assistant.nlu
            if nlu.needs_training:
                nlu.train()
            save_fitted(output, FittedModel(nlu.model, nlu.tagger, nlu.training_digest()))
        finally:
            assistant.close()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m assistant.cli.base_model", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument(
        "--output", type=Path, default=BASE_MODEL_PATH, help=f"where to write it ({BASE_MODEL_PATH})"
    )
    parser.add_argument("--check", action="store_true", help="only check that it is up to date")
    args = parser.parse_args(argv)
    try:
        current = read_digest(args.output) if args.output.exists() else None
    except ModelFileError:
        current = None
    if current is not None and current == built_in_digest():
        print(f"The base intent model {args.output} is up to date.")
        return 0
    if args.check:
        print(f"The base intent model {args.output} is missing or stale; build it with: {parser.prog}")
        return 1
    print("Training the base intent model for the built-in skills (about half a minute)...", flush=True)
    seconds = build(args.output)
    print(f"Wrote {args.output} in {seconds:.0f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
