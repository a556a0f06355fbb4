"""``Understanding``: text in, ranked intent candidates out.

Ranking, in order:

1. The learned model (:mod:`assistant.nlu.model`) scores every intent; its top
   ``CANDIDATE_POOL`` intents plus the expected ones are tried against the
   templates with hassil. An exact template match is a candidate with source
   ``"rules"`` and confidence 1.0 and always ranks first (one that needed a
   wildcard slot gets ``WILDCARD_RULE_BASE`` plus a share of the model score).
2. Otherwise the same templates are tried allowing slot words outside their
   lists; when those words resolve fuzzily to a catalogue entry ("desk lamb" ->
   "desk lamp") the reading is a ``"fuzzy"`` candidate with confidence
   ``FUZZY_CONFIDENCE * slot score``.
3. Then the model's own readings (source ``"model"``), slots spotted in the text.
4. If nothing reaches ``threshold``, an out-of-scope candidate (intent None) leads.
5. The context re-ranks (:mod:`assistant.nlu.ranking`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from hassil.intents import RangeSlotList, TextSlotList, WildcardSlotList
from hassil.recognize import RecognizeResult

from assistant.nlu import training
from assistant.nlu.model import OOS_LABEL, IntentModel, background_sentences
from assistant.nlu.model_file import FittedModel, ModelStore
from assistant.nlu.numbers import TENS, UNITS, find_number
from assistant.nlu.ranking import fill_from_preferences, rerank
from assistant.nlu.simulate import augment
from assistant.nlu.slots import find_typed, normalize, parse_typed, resolve_slot, slot_kind
from assistant.nlu.tagger import SlotTagger
from assistant.nlu.templates import POLITE_WORDS, RuleSet, has_stand_in
from assistant.nlu.types import IntentCandidate, UnderstandingContext
from assistant.turn import TurnSource

log = logging.getLogger(__name__)

MODEL_CACHE_VERSION = 4
"""Part of every training digest: bump when training changes, so older fitted models
(the home's and the base model) count as stale."""

CANDIDATE_POOL = 8
POOL_ALWAYS = 3
POOL_FLOOR = 0.03
"""Templates are tried for the model's top ``POOL_ALWAYS`` intents and any other of the
top ``CANDIDATE_POOL`` scoring at least ``POOL_FLOOR`` (hassil costs ~0.1 ms per intent)."""
WORDED_EXTRA = 4
"""Intents tried for a template match beyond the model's pool, for sharing words with the text."""
RARE_WORD_INTENTS = 3
"""A template word used by at most this many intents points at them on its own."""
_SLOT_REFERENCE = re.compile(r"\{[^}]*\}")
_TEMPLATE_WORD = re.compile(r"[a-z']+")
_A_NUMBER = "<number>"
"""Stands, in the template word index, for a number slot (and for any number in a text)."""
LIST_WORDS_INDEXED = 500
"""Values of a list whose words point at the intents using it (a home's device names, units)."""
_COMMON_WORDS = frozenset(
    "a an the my me i you your is are it to for of on in at and or what's what how do can please".split()
)
WILDCARD_RULE_BASE = 0.7
FUNCTION_WORDS = frozenset(
    "a an the it that this these those them they he she i you we me my your our to of in on at "
    "for and or but so is are was be do does did not no yes ok okay um uh hmm".split()
)
"""A template match that needed a wildcard slot is weaker evidence than a literal one:
its confidence is ``WILDCARD_RULE_BASE + (1 - WILDCARD_RULE_BASE) * model score``, less
``WILDCARD_WORD_COST`` for each word the wildcards took."""
WILDCARD_WORD_COST = 0.01
"""Of two wildcard readings the model scores alike, the one whose template explains more of
the words is the likelier. Only words taken as free text count."""
TYPED_RULE_BASE = 0.85
"""A template match whose wildcards all read as times or durations is stronger evidence than
free text ("I need to get up at 6": an alarm, not "up at 6" for a list)."""
MAX_LINEAR_CLASSES = 150
"""Taught intents join the linear layer only while the intent count stays at or below this;
beyond it (hundreds of custom commands) training time and memory grow too much, and they
live in the example memory and the templates."""
RETRAIN_ON_TEACH_SECONDS = 0.12
"""``teach`` retrains at once when the last training took less than this; otherwise the
new intent lives in the example memory until ``train()`` (call it when idle)."""
FUZZY_CONFIDENCE = 0.95
DEFAULT_THRESHOLD = 0.5
"""Below this confidence the best reading is out of scope. Chosen on a validation split of
HWU64 train with every sixth intent held out as unknown: the highest in-scope acceptance
(94 %) that still rejects at least half of the unknown sentences (51 %)."""
TRAIN_SAMPLES_PER_INTENT = 60
TAUGHT_VARIANTS = 6
PATCH_SAMPLES = 24
"""Expansions put in the example memory for an intent the fitted model lacks (a new
plug-in's), until the next training (the memory keeps at most this many per intent)."""
SLOT_KINDS = ("number", "duration", "time", "text")
_SLOT_PATTERN = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}")
_POLITE_EDGES = re.compile(
    r"^(?:(?:{0})\s+)+|(?:\s+(?:{0}))+$".format(
        "|".join(sorted(map(re.escape, POLITE_WORDS), key=len, reverse=True))
    )
)


@lru_cache(maxsize=1)
def _hassil_version() -> str:
    """The installed hassil's version (its sampler shapes training data), from the name of its
    dist-info folder: ``importlib.metadata`` would cost ~30 ms of imports at every start."""
    import hassil

    site = Path(hassil.__file__).resolve().parent.parent
    found = sorted(folder.name for folder in site.glob("hassil-*.dist-info"))
    return found[-1] if found else "unknown"


def strip_polite(text: str) -> str:
    """``text`` without polite words at its edges ("please ... now"), as the matcher skips them."""
    return _POLITE_EDGES.sub("", text).strip() or text


TAUGHT_PREFIX = "taught:"


class Understanding:
    """Rules (hassil templates) plus a learned model plus fuzzy slots, ranked with context."""

    def __init__(
        self,
        language: str = "en",
        threshold: float = DEFAULT_THRESHOLD,
        seed: int = 0,
        cache_dir: Path | None = None,
    ) -> None:
        self.language = language
        self.threshold = threshold
        self.seed = seed
        self.rules = RuleSet(language)
        self.model = IntentModel()
        self.tagger = SlotTagger()
        """Finds free-text slots ("remind me about {message}") in readings of the model alone."""
        self.store = ModelStore(cache_dir)
        """Where fitted models are kept between starts (the home's cache and the base model)."""
        self._taught: dict[str, list[str]] = {}
        self._slot_kinds: dict[tuple[str, str], str] = {}
        self._fitted_digest: str | None = None
        """Training digest of the model in use (None: nothing fitted or loaded yet)."""
        self._dirty = True
        """Sentences changed since the model was installed: intents it lacks need examples."""
        self._patched: set[str] = set()
        """Intents the example memory of the model in use got examples for after fitting."""
        self._lock = threading.RLock()
        self._training: threading.Thread | None = None
        self._version = 0
        self._listeners: list[Callable[[int], None]] = []
        self._hours: dict[str, tuple[int, int]] = {}
        self._hours_version = -1
        self._names: set[str] = set()
        self._names_version = -1
        self._word_intents: dict[str, set[str]] = {}
        self._forgotten: set[str] = set()
        """Taught phrases forgotten in this run: no model guess acts on them ("coffee time" would
        tell the time)."""
        self._words_version = -1
        self.now: Callable[[], datetime] = datetime.now
        """Clock used for times and dates (tests set a fixed one)."""

    @property
    def cache_dir(self) -> Path | None:
        """Where the home keeps its fitted model (None: never kept)."""
        return self.store.folder

    @cache_dir.setter
    def cache_dir(self, folder: Path | None) -> None:
        self.store = ModelStore(folder, self.store.base)

    # -- declaring -------------------------------------------------------------------
    def add_sentences(self, data: Mapping[str, Any] | str | Path, source: str) -> None:
        """Load a skill's or plug-in's intent YAML (path, YAML text or dict); replaces that source."""
        with self._lock:
            self.rules.add(source, data)
            self._dirty = True
        self._changed()

    def remove_source(self, source: str) -> bool:
        """Drop one source's sentences; True if it was loaded."""
        with self._lock:
            removed = self.rules.remove(source)
            if removed:
                self._dirty = True
        if removed:
            self._changed()
        return removed

    def set_list(self, name: str, values: Sequence[str] | Mapping[str, str], volatile: bool = False) -> None:
        """Set a dynamic slot list (devices, playlists, contacts); values resolve fuzzily.
        A ``volatile`` one (running timers' names) never makes the model stale."""
        self.rules.set_list(name, values, volatile)
        self._changed()

    def teach(
        self,
        intent: str,
        examples: Sequence[str],
        slots: Mapping[str, str | Sequence[str] | Mapping[str, str]] | None = None,
    ) -> None:
        """Teach an intent from example phrases, usable at once (no retraining).

        Examples may hold ``{slot}`` placeholders ("focus for {minutes} minutes").
        ``slots`` says what each placeholder takes: a kind ("number", "duration",
        "time", "text"), the name of a known list, or the values themselves.
        Without it the kind is guessed from the slot's name.
        """
        if not examples:
            raise ValueError(f"teach {intent!r}: give at least one example")
        with self._lock:
            sentences, lists = self._taught_sentences(intent, examples, slots)
            self._install_taught(intent, examples, sentences, lists)

    def _taught_sentences(
        self,
        intent: str,
        examples: Sequence[str],
        slots: Mapping[str, str | Sequence[str] | Mapping[str, str]] | None,
    ) -> tuple[list[str], dict[str, Any]]:
        """Templates and slot lists for a taught intent's example phrases."""
        lists: dict[str, Any] = {}
        sentences: list[str] = []
        safe_intent = re.sub(r"\W", "_", intent)
        for example in examples:
            literal = _SLOT_PATTERN.split(re.sub(r"[()\[\]|<>;]", " ", example).lower())
            pieces: list[str] = []
            for position, piece in enumerate(literal):
                if position % 2 == 0:
                    pieces.append(piece)
                    continue
                list_name, definition, kind = self._taught_slot(safe_intent, piece, (slots or {}).get(piece))
                if definition is not None:
                    lists[list_name] = definition
                self._slot_kinds[(intent, piece)] = kind
                pieces.append(f"{{{list_name}:{piece}}}")
            sentences.append(" ".join("".join(pieces).split()))
        return sentences, lists

    def _install_taught(
        self, intent: str, examples: Sequence[str], sentences: list[str], lists: dict[str, Any]
    ) -> None:
        self.rules.add(
            TAUGHT_PREFIX + intent,
            {
                "language": self.language,
                "intents": {intent: {"data": [{"sentences": sentences}]}},
                "lists": lists,
            },
        )
        self._taught[intent] = list(examples)
        if self._fitted_digest is None:
            pass  # nothing fitted yet: the first parse trains with everything declared by then
        elif (
            not self._dirty
            and self.model.training_seconds < RETRAIN_ON_TEACH_SECONDS
            and len(self.intents()) <= MAX_LINEAR_CLASSES
        ):
            self.train()
        else:
            self._add_examples(intent)
        self._changed()

    @property
    def needs_training(self) -> bool:
        """True when the model in use was not fitted on exactly what is declared now
        (taught commands and new plug-ins live in the example memory until then)."""
        with self._lock:
            return self._fitted_digest is None or self._fitted_digest != self.training_digest()

    def _taught_slot(
        self, safe_intent: str, slot: str, spec: str | Sequence[str] | Mapping[str, str] | None
    ) -> tuple[str, dict[str, Any] | None, str]:
        """List name and definition for one placeholder of a taught example."""
        own = f"taught_{safe_intent}_{slot}"
        if isinstance(spec, str) and spec not in SLOT_KINDS:
            return spec, None, "list"
        if isinstance(spec, Mapping):
            return own, {"values": [{"in": k, "out": v} for k, v in spec.items()]}, "list"
        if isinstance(spec, Sequence) and not isinstance(spec, str):
            return own, {"values": list(spec)}, "list"
        kind = spec or slot_kind(slot)
        if kind == "number":
            return own, {"range": {"from": 0, "to": 999}}, "number"
        return own, {"wildcard": True}, kind

    def forget(self, intent: str) -> bool:
        """Forget a taught intent; True if it was taught."""
        with self._lock:
            if intent not in self._taught:
                return False
            for example in self._taught.pop(intent):
                if "{" not in example:
                    self._forgotten.add(normalize(example))
            self.rules.remove(TAUGHT_PREFIX + intent)
            self.model.remove_intent(intent)
            self._patched.discard(intent)
        self._changed()
        return True

    # -- training --------------------------------------------------------------------
    def prepare(self) -> bool:
        """Get a model ready for what is declared, training only when nothing can stand in.

        The model fitted on exactly this data (kept by the home, or the shipped base model)
        is used as it is. Otherwise the nearest one (the home's last, else the base) is used,
        with examples of the intents it lacks in its example memory: it answers at once, and
        :meth:`train` (in the background, see :meth:`train_in_background`) catches up.
        Returns True when the model in use fits exactly.
        """
        with self._lock:
            digest = self.training_digest()
            fitted = self.store.exact(digest) or self.store.nearest()
            if fitted is None:
                self.train()
                return True
            self._install(fitted)
            return fitted.digest == digest

    def train(self) -> float:
        """Fit the learned model on template expansions, taught examples and their variants
        (or take the one kept for exactly this data), and use it. Returns the seconds it took.

        The fitting itself runs outside the lock, so another thread may go on parsing with
        the previous model meanwhile.
        """
        return self._train(apart=False)

    def _train(self, apart: bool) -> float:
        """:meth:`train`; with ``apart``, the fit runs in a process of its own (see
        ``nlu/training.py``) when the home keeps models, so it can hand the model back."""
        started = time.perf_counter()
        with self._lock:
            digest = self.training_digest()
            fitted = self.store.exact(digest)
            if fitted is None:
                texts, labels, tagged = self._training_set()
                blank = self.model.blank()
                job = training.TrainingJob(
                    texts, labels, tagged, digest, self.seed, blank.settings(), self._vectors_path(blank)
                )
        if fitted is None:
            folder = self.store.folder
            if apart and folder is not None:
                fitted = training.fit_apart(job, folder)
            if fitted is None:
                fitted = training.fit(job, blank)
                self.store.save(fitted)
        with self._lock:
            self._install(fitted)
        return time.perf_counter() - started

    def train_in_background(self) -> threading.Thread | None:
        """Start :meth:`train` on a thread of its own when the model in use is not exact
        (returns the thread, or None when there is nothing to do or training already runs)."""
        with self._lock:
            if not self.needs_training or (self._training is not None and self._training.is_alive()):
                return None
            self._training = threading.Thread(target=self._train_quietly, name="nlu-training", daemon=True)
            self._training.start()
            return self._training

    def warm_up(self) -> None:
        """Pay now for what the first requests would: hassil's number-word tables, the
        example index and each intent's template filters (one example parsed per intent).
        Meant for a background thread at start; each parse takes the lock on its own, so a
        request in between is not held up for long."""
        if self._fitted_digest is None:
            return  # nothing to parse with yet; the first request trains
        started = time.perf_counter()
        self.rules.warm_up()
        for intent in self.intents():
            for example in self.examples(intent, 1):
                self.parse(example)
        log.info("understanding warmed up in %.2f s", time.perf_counter() - started)

    def _train_quietly(self) -> None:
        try:
            seconds = self._train(apart=True)
            log.info("understanding retrained in the background in %.1f s", seconds)
        except Exception:  # a failed retrain leaves the previous model answering
            log.exception("background training failed; the previous model goes on answering")

    def training_digest(self) -> str:
        """What a fitted model depends on, hashed: sentences, lists, taught examples, settings."""
        names = self.rules.intent_names()
        memory_only = set(self._taught) if len(names) > MAX_LINEAR_CLASSES else set()
        payload = {
            "version": [MODEL_CACHE_VERSION, self.seed, TRAIN_SAMPLES_PER_INTENT, TAUGHT_VARIANTS],
            "tagger": training.TAGGER_ITERATIONS,
            "hassil": _hassil_version(),
            "model": self.model.settings(),
            "files": [os.environ.get("ASSISTANT_ENCODER", ""), os.environ.get("ASSISTANT_EMBEDDINGS", "")],
            "background": background_sentences(),
            "sources": {
                source: raw
                for source, raw in self.rules.raw_sources().items()
                if source.removeprefix(TAUGHT_PREFIX) not in memory_only
            },
            # Which dynamic lists have values, not the values: a device renamed in Home
            # Assistant must not cost a retrain (minutes); the templates and the catalogue
            # know the new name at once, and the model only learned its sentence shapes.
            "lists": {name: bool(pairs) for name, pairs in self.rules.dynamic_lists().items()},
            "taught": {i: e for i, e in self._taught.items() if i not in memory_only},
            "kinds": sorted(f"{i}:{s}:{k}" for (i, s), k in self._slot_kinds.items() if i not in memory_only),
        }
        encoded = json.dumps(payload, sort_keys=True, default=str).encode("utf-8")
        return hashlib.sha256(encoded).hexdigest()[:24]

    def _training_set(self) -> tuple[list[str], list[str | None], list[tuple[str, str, dict[str, str]]]]:
        """Texts and labels for the intent model, and slot-tagged texts for the tagger."""
        rng = random.Random(self.seed)
        texts: list[str] = []
        labels: list[str | None] = []
        tagged: list[tuple[str, str, dict[str, str]]] = []
        names = self.rules.intent_names()
        memory_only = set(self._taught) if len(names) > MAX_LINEAR_CLASSES else set()
        for intent in names:
            if intent in memory_only:
                continue
            with_slots = self.rules.sample_with_slots(intent, TRAIN_SAMPLES_PER_INTENT, rng)
            sampled = [text for text, _ in with_slots]
            if self._text_slots(intent):
                tagged += [(text, intent, slots) for text, slots in with_slots]
            taught = [normalize(e) for e in self._taught.get(intent, []) if "{" not in e]
            variants = augment(sampled[: TRAIN_SAMPLES_PER_INTENT // 3] + taught, 1, rng)
            for text in sampled + variants:
                texts.append(text)
                labels.append(intent)
        return texts, labels, tagged

    def _vectors_path(self, model: IntentModel) -> str | None:
        """Where the contextual encoder's vectors of training sentences are kept between
        fits: a retrain in a new process then encodes only new sentences (start-up after
        teaching ~2.5 s shorter). Like the model cache, only a speed-up."""
        if self.cache_dir is None or model.encoder is None:
            return None
        return str(Path(self.cache_dir) / "sentence-vectors.npz")

    def _install(self, fitted: FittedModel) -> None:
        """Use a fitted model, with examples in its memory for what it was not fitted on."""
        self.model, self.tagger = fitted.model, fitted.tagger
        self._fitted_digest = fitted.digest
        self._patched = set()
        for intent in self._taught:
            self._add_examples(intent)
        self._patch()

    def _patch(self) -> None:
        """Bring the model in use in line with the sentences: intents gone are dropped,
        intents it lacks get examples in its memory."""
        model = self.model
        wanted = set(self.rules.intent_names())
        known = (set(model.classes) - model.removed - {OOS_LABEL}) | set(model.memory.present) | self._patched
        for intent in sorted(known - wanted):
            model.remove_intent(intent)
            self._patched.discard(intent)
        for intent in sorted(wanted - known):
            self._add_examples(intent)
        self._dirty = False

    def _add_examples(self, intent: str) -> None:
        """Expansions of an intent (and variants) into the example memory of the model in use."""
        rng = random.Random(f"{self.seed}:{intent}")
        examples = self._taught.get(intent)
        count = 4 * len(examples) if examples else PATCH_SAMPLES
        expanded = self.rules.sample(intent, count, rng) or list(examples or [])
        self.model.add_examples(intent, augment(expanded, TAUGHT_VARIANTS // 2, rng))
        self._patched.add(intent)

    # -- understanding ---------------------------------------------------------------
    def parse(self, text: str, context: UnderstandingContext | None = None) -> list[IntentCandidate]:
        """Readings of ``text``, best first. An intent of None means out of scope."""
        with self._lock:
            if self._fitted_digest is None:
                self.train()
            elif self._dirty:
                self._patch()
            return self._parse(text, context)

    def _parse(self, text: str, context: UnderstandingContext | None) -> list[IntentCandidate]:
        spoken = normalize(text)
        if not spoken:
            return [IntentCandidate(None, confidence=1.0, source=TurnSource.MODEL)]
        content = strip_polite(spoken)
        # The contextual layer (~1.5 ms) is asked only when no template matches exactly:
        # a rule reading comes first whatever the model says.
        fast = self.model.fast_scores(content)
        labels, values = fast.labels, fast.scores
        index = self.model.label_index()

        def model_score(intent: str | None) -> float:
            position = index.get(intent)
            return float(values[position]) if position is not None else 0.0

        ranked, pool = self._pool(labels, values, context)
        candidates: dict[str, IntentCandidate] = {}
        # The intents worded like the request count only when none of the pool matches; both
        # are tried in one pass (each pass costs ~0.1 ms of text preparation in hassil).
        worded = self._worded_like(spoken, pool, model_score)
        self._match_rules(spoken, pool + worded, candidates, model_score)
        if any(name in pool for name in candidates):
            for name in worded:
                candidates.pop(name, None)
        if not candidates and self.model.asks_contextual(values):
            values = self.model.contextual_scores(fast)
            tried = set(pool)
            ranked, pool = self._pool(labels, values, context)
            self._match_rules(spoken, [i for i in pool if i not in tried], candidates, model_score)
        if not candidates:
            fuzzy_pool = [intent for intent in pool if self._has_catalogue_slot(intent)]
            for result in self.rules.match(spoken, fuzzy_pool, allow_unmatched=True):
                fuzzy = self._fuzzy_candidate(result, model_score(result.intent.name))
                if fuzzy is not None:
                    self._keep_better(candidates, fuzzy)
        # Every template match outranks a model guess (see rerank), so with one in hand the
        # model's readings are runners-up only: their slots are not spotted (~1/3 of a parse).
        spot_slots = not candidates
        for intent, score in ranked[:CANDIDATE_POOL]:
            if intent is not None and intent not in candidates:
                candidates[intent] = (
                    self._model_candidate(intent, spoken, score)
                    if spot_slots
                    else IntentCandidate(intent, confidence=score, source=TurnSource.MODEL)
                )
        result_list = list(candidates.values())
        if context is not None:
            for candidate in result_list:
                names = list(self.rules.slot_lists_of(candidate.intent or ""))
                fill_from_preferences(candidate, names, context.preferences)
        result_list = rerank(result_list, context, self._intent_hours())
        best = result_list[0] if result_list else None
        if best is None or (
            best.source == TurnSource.MODEL
            and (
                best.confidence < self.threshold
                or self._only_a_name(spoken)
                or strip_polite(spoken) in self._forgotten  # "tea time" was forgotten, not the time
            )
        ):
            out_of_scope = max(model_score(None), 1.0 - (best.confidence if best else 0.0))
            result_list.insert(0, IntentCandidate(None, confidence=out_of_scope, source=TurnSource.MODEL))
        return result_list

    @staticmethod
    def _pool(
        labels: list[str | None], values: np.ndarray, context: UnderstandingContext | None
    ) -> tuple[list[tuple[str | None, float]], list[str]]:
        """The model's best readings, and the intents whose templates are tried."""
        top = np.argsort(-values, kind="stable")[: CANDIDATE_POOL + 1]
        ranked = [(labels[i], float(values[i])) for i in top]
        intents = [(intent, score) for intent, score in ranked if intent is not None]
        # out of scope takes no place: "I got the coffee" is most likely nothing, then list.remove
        pool = [
            intent
            for position, (intent, score) in enumerate(intents)
            if position < POOL_ALWAYS or score >= POOL_FLOOR
        ]
        if context is not None:
            pool += [i for i in context.expected_intents if i not in pool]
        return ranked, pool

    def _worded_like(
        self, spoken: str, pool: list[str], model_score: Callable[[str | None], float]
    ) -> list[str]:
        """Intents outside ``pool`` whose templates share two words with ``spoken`` (see
        ``_template_words``), or a rare one ("stop timer for 5 minutes": timer.cancel), at most
        WORDED_EXTRA of them. The model's ranking decides which templates are tried; this keeps
        an exact match from being missed because the model ranked its intent low."""
        index = self._word_index()
        hits: Counter[str] = Counter()
        rare: set[str] = set()
        words = set(spoken.split())
        if any(word in UNITS or word in TENS or any(c.isdigit() for c in word) for word in words):
            words.add(_A_NUMBER)
        for word in words:
            intents = index.get(word)
            if intents:
                hits.update(intents)
                if len(intents) <= RARE_WORD_INTENTS:
                    rare.update(intents)  # "live" in "I live in Leeds" says teaching on its own
        # Of intents sharing as many words, the model's likelier first (and the same ones
        # every time: the order of a set of words changes from one process to the next).
        extra = sorted(
            (name for name, count in hits.items() if (count >= 2 or name in rare) and name not in pool),
            key=lambda name: (-hits[name], -model_score(name), name),
        )
        return extra[:WORDED_EXTRA]

    def _word_index(self) -> dict[str, set[str]]:
        if self._words_version != self.rules.version:
            self._word_intents, self._words_version = self._template_words(), self.rules.version
        return self._word_intents

    def _template_words(self) -> dict[str, set[str]]:
        """Word -> the intents whose templates hold it: their literal words, the words of the
        values of the lists they use ("12 time 7": "time" is a calculator operator), and
        ``_A_NUMBER`` for a number range ("what is 12 time 7" shares two words with sums)."""
        index: dict[str, set[str]] = {}

        def add(text: str, intent: str) -> None:
            for word in _TEMPLATE_WORD.findall(text.lower()):
                if word not in _COMMON_WORDS:
                    index.setdefault(word, set()).add(intent)

        for name, intent in self.rules.merged.intents.items():
            for data in intent.data:
                for sentence in data.sentences:
                    add(_SLOT_REFERENCE.sub(" ", sentence.text or ""), name)
            for list_name in sorted(self.rules.lists_used_by(name)):
                slot_list = self.rules.slot_list(list_name)
                if isinstance(slot_list, RangeSlotList):
                    index.setdefault(_A_NUMBER, set()).add(name)
                elif isinstance(slot_list, TextSlotList):
                    for value in self.rules.list_values(list_name, limit=LIST_WORDS_INDEXED):
                        add(value, name)
        return index

    def _match_rules(
        self,
        spoken: str,
        pool: list[str],
        candidates: dict[str, IntentCandidate],
        model_score: Callable[[str | None], float],
    ) -> None:
        """Exact template matches among ``pool``; one with a wildcard slot is weaker."""
        for result in self.rules.match(spoken, pool):
            intent = result.intent.name
            free = [
                entity
                for entity in result.entities_list
                if entity.is_wildcard and self._kind_of(intent, entity.name) == "text"
            ]
            typed = any(entity.is_wildcard for entity in result.entities_list) and not free
            candidate = self._candidate_from_match(result, TurnSource.RULES, 1.0)
            if free or (typed and candidate.unresolved):
                taken = sum(len(str(entity.text or entity.value).split()) for entity in free)
                candidate.confidence = WILDCARD_RULE_BASE + (1 - WILDCARD_RULE_BASE) * model_score(intent)
                candidate.confidence -= WILDCARD_WORD_COST * taken
            elif typed:
                # every wildcard was read as a time or a duration: nearly as sure as a list slot
                candidate.confidence = TYPED_RULE_BASE + (1 - TYPED_RULE_BASE) * model_score(intent)
            self._keep_better(candidates, candidate)

    def _only_a_name(self, spoken: str) -> bool:
        """ "lamp please" or "that" asks nothing: no model guess should act on it."""
        if self._names_version != self.rules.version:
            self._names = {
                normalize(value)
                for list_name in self.rules.merged.slot_lists
                for value in self.rules.list_values(list_name)
            }
            self._names_version = self.rules.version
        content = strip_polite(spoken)
        if not set(content.split()) - FUNCTION_WORDS:
            return True  # "that", "it", "the": nothing asked at all
        return content in self._names or content.removeprefix("the ") in self._names

    def _has_catalogue_slot(self, intent: str) -> bool:
        """True if a slot of the intent uses a text list: only those can give a fuzzy reading."""
        return any(
            isinstance(self.rules.slot_list(list_name), TextSlotList)
            for list_name in self.rules.slot_lists_of(intent).values()
        )

    @staticmethod
    def _keep_better(candidates: dict[str, IntentCandidate], candidate: IntentCandidate) -> None:
        """Of two readings of one intent keep the one whose template matched more literal words
        ("set a timer for five minutes" is not a timer named "a")."""

        def preference(c: IntentCandidate) -> tuple[int, int, int, float]:
            slot_words = sum(len(words.split()) for words in c.raw_slots.values())
            return (len(c.unresolved), slot_words, -len(c.slots), -c.confidence)

        name = candidate.intent or ""
        current = candidates.get(name)
        if current is None or preference(candidate) < preference(current):
            candidates[name] = candidate

    def _resolve_entity(self, intent: str, slot: str, value: Any, words: str, list_name: str | None) -> Any:
        slot_list = self.rules.slot_list(list_name) if list_name else None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        kind = self._slot_kinds.get((intent, slot))
        if isinstance(slot_list, WildcardSlotList) or (kind in ("duration", "time")):
            return parse_typed(kind or slot_kind(slot), words or str(value), self.now())
        return value

    def _candidate_from_match(
        self, result: RecognizeResult, source: TurnSource, confidence: float
    ) -> IntentCandidate:
        intent = result.intent.name
        lists = self.rules.slot_lists_of(intent)
        candidate = IntentCandidate(intent, confidence=confidence, source=source)
        for entity in result.entities_list:
            words = entity.text_clean if entity.text else ""
            value = self._resolve_entity(intent, entity.name, entity.value, words, lists.get(entity.name))
            candidate.raw_slots[entity.name] = words
            if value is None:
                candidate.unresolved.append(entity.name)
            else:
                candidate.slots[entity.name] = value
        return candidate

    def _fuzzy_candidate(self, result: RecognizeResult, model_score: float) -> IntentCandidate | None:
        """A template match whose unmatched slot words resolve fuzzily to their catalogue."""
        if not result.unmatched_entities_list:
            return None
        candidate = self._candidate_from_match(result, TurnSource.FUZZY, 0.0)
        lists = self.rules.slot_lists_of(candidate.intent or "")
        scores: list[float] = []
        known = self._word_index()
        for entity in result.unmatched_entities_list:
            words = getattr(entity, "text", "").strip()
            if words and all(word in known for word in words.split()):
                return None  # words our templates know are not a mishearing ("five minutes" is no "minus")
            catalogue = self.rules.catalogue(lists.get(entity.name, entity.name))
            found = catalogue.resolve(words) if catalogue is not None else None
            candidate.raw_slots[entity.name] = words
            if found is None:
                return None  # a template with a slot that resolves to nothing is not this reading
            candidate.slots[entity.name] = found.value
            scores.append(found.score / 100.0)
        candidate.confidence = max(FUZZY_CONFIDENCE * min(scores), model_score)
        return candidate

    def _model_candidate(self, intent: str, spoken: str, score: float) -> IntentCandidate:
        """The model's reading, with slot values spotted in the text (catalogues, numbers, times)
        or, for free-text slots, tagged by the learned slot tagger."""
        candidate = IntentCandidate(intent, confidence=score, source=TurnSource.MODEL)
        tags: dict[str, str] | None = None
        for slot, list_name in self.rules.slot_lists_of(intent).items():
            slot_list = self.rules.slot_list(list_name)
            if isinstance(slot_list, TextSlotList):
                catalogue = self.rules.catalogue(list_name)
                spotted = catalogue.spot(spoken) if catalogue is not None else None
                if spotted is not None:
                    candidate.slots[slot] = spotted[0].value
                    candidate.raw_slots[slot] = spotted[1]
            elif isinstance(slot_list, RangeSlotList) or self._slot_kinds.get((intent, slot)) == "number":
                number = find_number(spoken)
                if number is not None:
                    candidate.slots[slot] = number
            else:
                kind = self._kind_of(intent, slot)
                found = find_typed(kind, spoken, self.now())
                if found is None and kind == "text":
                    tags = tags if tags is not None else self.tagger.tag(spoken, intent)
                    found = (tags[slot], tags[slot]) if slot in tags else None
                if found is not None:
                    candidate.slots[slot], candidate.raw_slots[slot] = found
        return candidate

    def _text_slots(self, intent: str) -> list[str]:
        """Slots of an intent that take any words (wildcards of kind text)."""
        return [
            slot
            for slot, list_name in self.rules.slot_lists_of(intent).items()
            if not isinstance(self.rules.slot_list(list_name), (TextSlotList, RangeSlotList))
            and self._kind_of(intent, slot) == "text"
        ]

    def _kind_of(self, intent: str, slot: str) -> str:
        """How a free slot is parsed: as taught, else guessed from its name."""
        return self._slot_kinds.get((intent, slot)) or slot_kind(slot)

    def _intent_hours(self) -> dict[str, tuple[int, int]]:
        """Intent -> ``metadata.hours`` (cached until the sentences change)."""
        if self._hours_version == self.rules.version:
            return self._hours
        hours: dict[str, tuple[int, int]] = {}
        for name, intent in self.rules.merged.intents.items():
            for data in intent.data:
                value = (data.metadata or {}).get("hours")
                if isinstance(value, list) and len(value) == 2:
                    hours[name] = (int(value[0]), int(value[1]))
        self._hours, self._hours_version = hours, self.rules.version
        return hours

    # -- describing ------------------------------------------------------------------
    def resolve_slot(self, intent: str, slot: str, words: str) -> Any | None:
        """A slot's value from words said on their own ("five minutes" answering "For how
        long?"), resolved as in a full sentence; None if they do not fit the slot."""
        list_name = self.rules.slot_lists_of(intent).get(slot)
        catalogue = self.rules.catalogue(list_name) if list_name else None
        kind = self._slot_kinds.get((intent, slot))
        value, _ = resolve_slot(slot, normalize(words), catalogue, kind, self.now())
        return value

    def slot_kind(self, intent: str, slot: str) -> str:
        """How ``slot`` of ``intent`` is read: "list" (a catalogue of values), "number",
        "duration", "time", or "text" (any words)."""
        list_name = self.rules.slot_lists_of(intent).get(slot)
        catalogue = self.rules.catalogue(list_name) if list_name else None
        if catalogue is not None and len(catalogue):
            return "list"
        return self._slot_kinds.get((intent, slot)) or slot_kind(slot)

    def intents(self) -> list[str]:
        """Every intent known from templates or teaching."""
        return sorted(self.rules.intent_names())

    def taught(self) -> dict[str, list[str]]:
        """Taught intents and their example phrases."""
        return {k: list(v) for k, v in self._taught.items()}

    def examples(self, intent: str, n: int = 3) -> list[str]:
        """A few things one can say for an intent (for "what can I say")."""
        taught = [e for e in self._taught.get(intent, []) if "{" not in e]
        sampled = self.rules.sample(intent, n * 2, random.Random(f"examples:{intent}"))
        return (taught + [s for s in sampled if s not in taught])[:n]

    def phrases(self, limit: int = 2000) -> list[str]:
        """Sentences to bias the recognizer: expansions, taught phrases, slot values (≤ ``limit``).

        Expansions whose wildcard slots got stand-in words are left out: a grammar or prompt
        holding "water the plants" makes a recognizer hear it in speech that never said it."""
        rng = random.Random(self.seed)
        names = self.intents()
        found: dict[str, None] = {}
        for intent in names:
            for example in self._taught.get(intent, []):
                if "{" not in example:
                    found.setdefault(normalize(example))
        for intent in names:
            for text in self.rules.usual_forms(intent, rng):
                if not has_stand_in(text):
                    found.setdefault(normalize(text))
        per_intent = max(2, (limit - len(found)) // (2 * max(1, len(names))))
        for intent in names:
            for text in self.rules.sample(intent, per_intent, rng):
                if not has_stand_in(text):
                    found.setdefault(normalize(text))
        for list_name, slot_list in self.rules.merged.slot_lists.items():
            if isinstance(slot_list, TextSlotList):
                for value in self.rules.list_values(list_name, 50):
                    found.setdefault(value)
        return list(found)[:limit]

    def request_starts(self) -> list[str]:
        """The words requests begin with ("add", "turn", "what", ...), most common first: every
        template said the usual way and every taught phrase (a recognizer repairs near-misses of them)."""
        rng = random.Random(self.seed)
        counts: dict[str, int] = {}
        texts = [example for examples in self._taught.values() for example in examples if "{" not in example]
        for intent in self.intents():
            texts += self.rules.usual_forms(intent, rng)
        for text in texts:
            words = normalize(text).split()
            if words:
                counts[words[0]] = counts.get(words[0], 0) + 1
        return sorted(counts, key=lambda word: -counts[word])

    def vocabulary(self) -> list[str]:
        """Every word the templates, taught phrases and lists can produce (sampled)."""
        return sorted({word for phrase in self.phrases(limit=20000) for word in phrase.split()})

    # -- change notification ---------------------------------------------------------
    @property
    def version(self) -> int:
        """Goes up on every change of sentences, lists or taught intents."""
        return self._version

    def on_change(self, listener: Callable[[int], None]) -> None:
        """Call ``listener(version)`` after each change (for recognizer biasing)."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        self._version += 1
        for listener in self._listeners:
            listener(self._version)
