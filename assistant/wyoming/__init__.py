"""The Wyoming protocol (Home Assistant's voice protocol): remote engines, our own server, satellites.

Messages are the ``wyoming`` library's typed events; only the framing is ours
(``framing.py``), because the library reads whatever lengths a peer announces.
"""

from assistant.wyoming.endpoint import Endpoint, WyomingError, is_remote, parse_endpoint

__all__ = ["Endpoint", "WyomingError", "is_remote", "parse_endpoint"]
