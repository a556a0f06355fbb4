"""Home Assistant for the desk assistant: a plug-in that knows the home over Home Assistant's
websocket API and acts on it. See docs/homeassistant.md."""
