"""The Textual terminal UI of the assistant: ``tui.app.run_app`` is what ``assistant`` opens."""
