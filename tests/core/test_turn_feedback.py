"""A turn's feedback is typed in code and one JSON object in the database (rows written
before it was typed read back the same)."""

from __future__ import annotations

from assistant.turn import AsrEvidence, DefectSignal, RewriteCount, TurnFeedback


def test_feedback_round_trips_through_its_stored_form() -> None:
    feedback = TurnFeedback(
        asr=AsrEvidence(0.42, ["turn on the lamp", "turn on the lump"]),
        wake_score=0.9,
        signals={DefectSignal.NEGATED, DefectSignal.REPHRASED},
        rephrase_of=7,
        rephrase_of_text="lamp please",
        rephrase_likeness=0.81,
        rewrite_id=3,
        rewrite_counted=RewriteCount.LOSS,
        result_data={"timer_id": 5},
    )
    stored = feedback.to_json()
    assert stored["negated"] is True and stored["asr_alternatives"][0] == "turn on the lamp"
    assert TurnFeedback.from_json(stored) == feedback
    assert TurnFeedback().to_json() == {}  # nothing set, nothing stored


def test_an_older_row_reads_back_and_junk_is_dropped() -> None:
    old = {"asr_confidence": 0.3, "barge_in": True, "rewrite_id": 4, "rewrite_counted": "win"}
    feedback = TurnFeedback.from_json(old)
    assert feedback.asr == AsrEvidence(0.3, [])
    assert feedback.says_defect and feedback.signals == {DefectSignal.BARGE_IN}
    assert feedback.rewrite_id == 4 and feedback.rewrite_counted is RewriteCount.WIN

    junk = TurnFeedback.from_json(
        {"rewrite_id": "4", "rewrite_counted": "maybe", "negated": "yes", "wake_score": True, "x": 1}
    )
    assert junk == TurnFeedback()
    assert TurnFeedback.from_json(["not", "an", "object"]) == TurnFeedback()
