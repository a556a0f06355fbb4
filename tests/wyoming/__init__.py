LOCAL_RECOGNIZERS = ("pocketsphinx", "whisper")
"""The engines a transcript of the local recognizer names (the default hybrid answers with
pocketsphinx's grammar pass or with Whisper)."""
