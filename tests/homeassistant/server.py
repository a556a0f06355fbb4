"""A real Home Assistant core for the tests: its config folder, start, stop, onboarding, tokens.

``scripts/homeassistant.sh`` installs it (once per machine); this module starts ``hass`` on a
free loopback port with the ``demo`` integration plus a few entities of our own, makes the
owner account through the onboarding API (as the browser would) and a long-lived access token
over the websocket, and stops it. Nothing here imports the plug-in.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[2]
INSTALL = ROOT / "scripts" / "homeassistant.sh"
VERSION = "2024.3.3"
START_TIMEOUT = 120.0
"""hass starts in 5-13 s alone; on two cores shared with other work it can take far longer."""

CONFIGURATION = """\
homeassistant:
  name: Test Home
  latitude: 52.37
  longitude: 4.89
  elevation: 0
  unit_system: metric
  time_zone: UTC
  country: NL
  customize:
    light.bed_light:
      friendly_name: Bed Light
http:
  server_host: 127.0.0.1
  server_port: {port}
api:
websocket_api:
onboarding:
config:
demo:
input_boolean:
  desk_fan:
    name: Desk Fan
{extra}
"""
USER = {"name": "Tester", "username": "tester", "password": "a long test password", "language": "en"}


class CannotInstall(Exception):
    """This machine cannot run Home Assistant 2024.3.3 (not Python 3.11): a reason to skip."""


def install() -> Path:
    """The path of ``hass``, installing Home Assistant first when this machine has none."""
    done = subprocess.run([str(INSTALL)], capture_output=True, text=True, timeout=1800)
    if done.returncode == 3:
        raise CannotInstall(done.stderr.strip())
    if done.returncode != 0:
        raise RuntimeError(f"scripts/homeassistant.sh failed:\n{done.stderr[-3000:]}")
    return Path(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class HomeAssistantServer:
    """One ``hass`` process on loopback, with its own config folder."""

    hass: Path
    config_dir: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def write_config(self, extra: str = "") -> None:
        self.config_dir.mkdir(parents=True, exist_ok=True)
        text = CONFIGURATION.format(port=self.port, extra=extra)
        (self.config_dir / "configuration.yaml").write_text(text, encoding="utf-8")

    def start(self) -> float:
        """Start hass and wait until its API answers; returns the seconds it took."""
        started = time.monotonic()
        log = (self.config_dir / "hass-test.log").open("ab")
        self.process = subprocess.Popen(
            [str(self.hass), "-c", str(self.config_dir), "--skip-pip"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        while time.monotonic() - started < START_TIMEOUT:
            if self.process.poll() is not None:
                raise RuntimeError(f"hass exited with {self.process.returncode}; see {log.name}")
            if self._answers():
                return time.monotonic() - started
            time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"hass did not answer within {START_TIMEOUT:g} s; see {log.name}")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/manifest.json", timeout=2) as response:
                return bool(response.status == 200)
        except (OSError, urllib.error.URLError):
            return False

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.process = None

    # --- accounts and tokens, through Home Assistant's own APIs ------------------------

    def onboard(self) -> str:
        """Make the owner account (first start only) and return a short-lived access token."""
        client_id = self.url + "/"
        auth_code = self._post_json("/api/onboarding/users", {"client_id": client_id, **USER}).get(
            "auth_code"
        )
        if auth_code is None:  # already onboarded: log in with the password flow
            auth_code = self._login(client_id)
        form = {"grant_type": "authorization_code", "code": auth_code, "client_id": client_id}
        return str(self._post_form("/auth/token", form)["access_token"])

    def _login(self, client_id: str) -> str:
        flow = self._post_json(
            "/auth/login_flow",
            {"client_id": client_id, "handler": ["homeassistant", None], "redirect_uri": client_id},
        )
        done = self._post_json(
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": client_id, "username": USER["username"], "password": USER["password"]},
        )
        return str(done["result"])

    def long_lived_token(self, access_token: str, name: str = "desk assistant tests") -> str:
        result = self.ws_command(
            access_token, {"type": "auth/long_lived_access_token", "client_name": name, "lifespan": 30}
        )
        return str(result)

    def revoke(self, access_token: str, name: str) -> None:
        """Delete the refresh token (and so every access token) made under ``name``."""
        tokens = self.ws_command(access_token, {"type": "auth/refresh_tokens"})
        for token in tokens:
            if token.get("client_name") == name:
                self.ws_command(
                    access_token, {"type": "auth/delete_refresh_token", "refresh_token_id": token["id"]}
                )

    def ws_command(self, access_token: str, message: dict[str, Any]) -> Any:
        # On a thread of its own: the caller may be a test running in an event loop already.
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, self._ws_command(access_token, message)).result()

    async def _ws_command(self, access_token: str, message: dict[str, Any]) -> Any:
        async with connect(self.url.replace("http", "ws", 1) + "/api/websocket", max_size=None) as ws:
            json.loads(await ws.recv())
            await ws.send(json.dumps({"type": "auth", "access_token": access_token}))
            reply = json.loads(await ws.recv())
            if reply.get("type") != "auth_ok":
                raise RuntimeError(f"auth failed: {reply}")
            await ws.send(json.dumps({"id": 1, **message}))
            while True:
                answer = json.loads(await ws.recv())
                if answer.get("id") == 1 and answer.get("type") == "result":
                    if not answer.get("success"):
                        raise RuntimeError(f"{message['type']} failed: {answer.get('error')}")
                    return answer.get("result")

    def call_service(self, access_token: str, domain: str, service: str, data: dict[str, Any]) -> None:
        self.ws_command(
            access_token, {"type": "call_service", "domain": domain, "service": service, "service_data": data}
        )

    def state(self, access_token: str, entity_id: str) -> dict[str, Any]:
        request = urllib.request.Request(
            self.url + f"/api/states/{entity_id}", headers={"Authorization": f"Bearer {access_token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return dict(json.loads(response.read()))

    def _post_json(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        data = json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, headers={"Content-Type": "application/json"}
        )
        return self._send(request)

    def _post_form(self, path: str, body: dict[str, str]) -> dict[str, Any]:
        request = urllib.request.Request(self.url + path, data=urllib.parse.urlencode(body).encode())
        return self._send(request)

    @staticmethod
    def _send(request: urllib.request.Request) -> dict[str, Any]:
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return dict(json.loads(response.read() or b"{}"))
        except urllib.error.HTTPError as error:
            if error.code in (400, 403):  # onboarding done already, a refused step
                return {"error": error.read().decode(errors="replace")}
            raise
