"""The conversation corpus: YAML conversations run through a real assistant and scored.

``loader`` reads and validates files into the types of ``model``; ``runner`` runs them
(fresh home, fake clock); ``checks`` compares each turn with its expectations;
``replies`` judges a reply's English; ``report`` sums up. ``assistant test`` is the CLI.
"""
