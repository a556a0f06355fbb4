"""pocketsphinx decoders shared by the wake word spotter and the recognizer.

A full pocketsphinx decoder costs about 90 MB of resident memory: the acoustic
model (5 MB), the 135 000-word dictionary (22 MB) and the language model (63 MB).
Keyword spotting, the wake word verifier and open dictation are named searches
on one such decoder, made once per process (:func:`shared_decoder`). They take
turns: the voice loop listens for the wake word *or* hears a request, never both.

The phrase grammar is the exception: it decodes *while* open dictation does, so
the end of speech leaves only a few frames to finish. It runs on a
:class:`GrammarDecoder`, which holds the acoustic model and only the grammar's
words (about 5 MB). The grammar itself is the smallest automaton accepting the
phrases (:func:`phrase_automaton`: common beginnings and endings shared), with
each phrase as likely as in a JSGF list of alternatives; for the assistant's
~900 phrases it takes 7 MB instead of 29 MB, builds in 0.16 s instead of 0.9 s
and decodes 2-3 times faster, with the same results.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

OPEN_SEARCH = "_default"
"""The search a decoder is made with: open dictation with the language model."""

SAMPLE_RATE = 16000
_load_lock = threading.Lock()


class SharedDecoder:
    """One decoder whose clients take turns; each utterance belongs to one client.

    A client calls :meth:`begin` to start its utterance in its search and
    :meth:`end` to finish it. A client that finds it no longer :meth:`owns` the
    decoder lost its utterance to another client and must start again (the
    recognizer replays the audio it kept). Hold :attr:`lock` around a sequence
    of calls when more than one thread may use the decoder.
    """

    def __init__(self, decoder: Any) -> None:
        self.decoder = decoder
        self.lock = threading.RLock()
        self._owner: object | None = None
        self._keyphrases: dict[tuple[str, float, float], str] = {}

    def owns(self, client: object) -> bool:
        """True while ``client``'s utterance is the one in progress."""
        return self._owner is client

    def begin(self, client: object, search: str = OPEN_SEARCH) -> None:
        """Start an utterance for ``client`` in ``search``, ending any other utterance in progress."""
        with self.lock:
            if self._owner is not None:
                self.decoder.end_utt()
            self._owner = None
            self.decoder.activate_search(search)
            self.decoder.start_utt()
            self._owner = client

    def end(self, client: object) -> bool:
        """End ``client``'s utterance so its result can be read; False when it had none in progress."""
        with self.lock:
            if self._owner is not client:
                return False
            self._owner = None
            self.decoder.end_utt()
            return True

    def decode_whole(self, client: object, audio: bytes, search: str = OPEN_SEARCH) -> None:
        """Decode ``audio`` as one whole utterance for ``client``; read the result from :attr:`decoder`.

        The cepstral mean of the audio itself normalizes it (batch CMN), as on a decoder that
        only ever sees whole utterances. Once a decoder has streamed audio, pocketsphinx keeps
        a running mean instead, which early on is mostly the silence before the first words and
        made the wake verifier miss the first "hey computer" in light noise; rebuilding the
        feature extraction (0.1 ms) restores batch CMN, and the running mean is put back after.
        """
        with self.lock:
            if self._owner is not None:
                self.decoder.end_utt()
                self._owner = None
            running_mean = self.decoder.get_cmn(False)
            self.decoder.reinit_feat()
            self.decoder.activate_search(search)
            self.decoder.start_utt()
            try:
                self.decoder.process_raw(audio, False, True)
            finally:
                self.decoder.end_utt()
                self.decoder.set_cmn(running_mean)

    def keyphrase_search(self, phrase: str, threshold: float, phone_loop_penalty: float) -> str:
        """The name of a keyword spotting search for ``phrase``, added on first use."""
        key = (phrase, threshold, phone_loop_penalty)
        with self.lock:
            name = self._keyphrases.get(key)
            if name is None:
                name = f"kws_{len(self._keyphrases)}"
                # kws searches read these two settings from the decoder's configuration when added
                self.decoder.config["kws_threshold"] = threshold
                self.decoder.config["kws_plp"] = phone_loop_penalty
                self.decoder.add_keyphrase(name, phrase)
                self._keyphrases[key] = name
            return name

    def pronunciations(self, word: str) -> list[tuple[str, str]]:
        """``(entry, phones)`` for every pronunciation of ``word``: ``read``, ``read(2)``, ..."""
        found = []
        entry, number = word, 1
        while (phones := self.decoder.lookup_word(entry)) is not None:
            found.append((entry, phones))
            number += 1
            entry = f"{word}({number})"
        return found


def _new_decoder(**options: Any) -> Any:
    from pocketsphinx import Decoder

    return Decoder(samprate=SAMPLE_RATE, loglevel="FATAL", **options)


@functools.lru_cache(maxsize=1)
def _load_shared() -> SharedDecoder:
    return SharedDecoder(_new_decoder())


def private_decoder() -> SharedDecoder:
    """A full decoder of its own (~90 MB), for a voice loop that listens while another does
    (a satellite): on the process's one decoder their utterances would keep ending each other."""
    return SharedDecoder(_new_decoder())


def shared_decoder() -> SharedDecoder:
    """The process's full decoder, loaded on first use; ImportError when pocketsphinx is missing."""
    with _load_lock:
        return _load_shared()


class GrammarDecoder:
    """A decoder for phrase grammars alone: the acoustic model and the grammar's words.

    Pronunciations are copied from the shared decoder's dictionary as phrases
    arrive. Grammars are kept for the last few distinct phrase lists, so
    alternating lists do not rebuild them and taught commands do not pile up.
    """

    KEEP = 4
    """Distinct phrase lists whose grammars stay loaded."""

    def __init__(self, dictionary: SharedDecoder) -> None:
        self.dictionary = dictionary
        self.decoder: Any = _new_decoder(lm=None, dict=None)
        self._words: set[str] = set()
        self._searches: OrderedDict[str, str] = OrderedDict()
        self._made = 0

    def activate(self, phrases: list[str]) -> None:
        """Make the grammar of ``phrases`` (every word in the dictionary) the active search.

        Raises ValueError or RuntimeError when pocketsphinx rejects the grammar.
        """
        key = hashlib.sha1("\n".join(phrases).encode()).hexdigest()
        name = self._searches.get(key)
        if name is None:
            self._add_words({word for phrase in phrases for word in phrase.split()})
            self._made += 1
            name = f"phrases_{self._made}"
            automaton = phrase_automaton(phrases)
            grammar = self.decoder.create_fsg(name, automaton.start, automaton.final, automaton.transitions)
            self.decoder.add_fsg(name, grammar)
            self._searches[key] = name
        self._searches.move_to_end(key)
        self.decoder.activate_search(name)
        while len(self._searches) > self.KEEP:
            _, oldest = self._searches.popitem(last=False)
            self.decoder.remove_search(oldest)

    def _add_words(self, words: set[str]) -> None:
        for word in sorted(words - self._words):
            for entry, phones in self.dictionary.pronunciations(word):
                # update=False: searches are rebuilt when the grammar is added, not once per word
                self.decoder.add_word(entry, phones, False)
            self._words.add(word)


@dataclass
class PhraseAutomaton:
    """A finite-state grammar: states are numbers, a transition without a word is an epsilon."""

    start: int
    final: int
    transitions: list[tuple[Any, ...]]
    """``(from, to, probability, word)``, or ``(from, to, probability)`` for an epsilon."""


def phrase_automaton(phrases: list[str]) -> PhraseAutomaton:
    """The minimal acyclic automaton accepting exactly ``phrases`` (words split on spaces).

    A trie of the phrases whose equal subtrees are merged, so phrases share their
    beginnings and endings. A transition's probability is the share of the
    state's phrases that go through it, so every phrase has probability 1/N, as
    in a JSGF list of N alternatives. A phrase that continues into a longer one
    ends with an epsilon to the final state.
    """
    distinct = list(dict.fromkeys(phrase for phrase in phrases if phrase.split()))
    if not distinct:
        raise ValueError("A phrase grammar needs at least one phrase.")
    children: list[dict[str, int]] = [{}]
    accepting = [False]
    for phrase in distinct:
        node = 0
        for word in phrase.split():
            child = children[node].get(word)
            if child is None:
                child = len(children)
                children.append({})
                accepting.append(False)
                children[node][word] = child
            node = child
        accepting[node] = True
    # children always have higher numbers than their parent, so reverse order visits them first
    state_of = [0] * len(children)
    states: dict[tuple[bool, tuple[tuple[str, int], ...]], int] = {}
    paths: list[int] = []
    for node in range(len(children) - 1, -1, -1):
        arcs = tuple(sorted((word, state_of[child]) for word, child in children[node].items()))
        signature = (accepting[node], arcs)
        state = states.get(signature)
        if state is None:
            state = states[signature] = len(states)
            paths.append(int(accepting[node]) + sum(paths[target] for _, target in arcs))
        state_of[node] = state
    final = states[(True, ())]
    transitions: list[tuple[Any, ...]] = []
    for (is_accepting, arcs), state in states.items():
        transitions.extend((state, target, paths[target] / paths[state], word) for word, target in arcs)
        if is_accepting and state != final:
            transitions.append((state, final, 1 / paths[state]))
    return PhraseAutomaton(start=state_of[0], final=final, transitions=transitions)
