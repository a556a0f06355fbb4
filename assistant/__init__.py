"""A teachable, offline voice assistant for the desk."""

__version__ = "0.1.0"
