"""Reusable widgets: conversation log, loop status, timers panel, turn trace."""
