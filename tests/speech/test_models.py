"""The model manager: download with progress, checksum, resume; install from files; remove.

A local http.server on 127.0.0.1 serves a zip built in the test; nothing leaves the machine.
"""

from __future__ import annotations

import hashlib
import http.server
import io
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.asr.download import DownloadError, ProgressBar, download
from assistant.asr.models import (
    ModelEntry,
    ModelError,
    install_model,
    installed_models,
    load_manifest,
    remove_model,
    resolve_vosk_model,
)
from assistant.config import Home, Settings


def fake_model_zip(folder: str = "vosk-model-test-0.1", padding: int = 300_000) -> bytes:
    """A zip shaped like a Vosk model, with incompressible padding so the download takes several reads."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{folder}/am/final.mdl", b"acoustic model")
        archive.writestr(f"{folder}/conf/model.conf", b"--sample-frequency=16000\n")
        archive.writestr(f"{folder}/graph/padding.bin", hashlib.sha256(b"x").digest() * (padding // 32))
    return buffer.getvalue()


@dataclass
class FileServer:
    """Serves one payload with Range support; can cut the connection after N bytes, once."""

    payload: bytes
    cut_after: int | None = None
    range_requests: list[str] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def server() -> Iterator[FileServer]:
    state = FileServer(payload=b"")

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass  # keep test output clean

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            data = state.payload
            start = 0
            header = self.headers.get("Range")
            if header:
                state.range_requests.append(header)
                start = int(header.split("=")[1].split("-")[0])
                self.send_response(206)
                self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
            else:
                self.send_response(200)
            body = data[start:]
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if state.cut_after is not None:
                self.wfile.write(body[: state.cut_after])
                state.cut_after = None
                self.wfile.flush()
                self.connection.shutdown(2)  # simulate a dropped connection
                return
            self.wfile.write(body)

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/vosk-model-test-0.1.zip"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()


def entry_for(server: FileServer, payload: bytes, sha256: str | None = "auto") -> dict[str, ModelEntry]:
    server.payload = payload
    digest = hashlib.sha256(payload).hexdigest() if sha256 == "auto" else sha256
    entry = ModelEntry(
        name="vosk-test", url=server.url, folder="vosk-model-test-0.1", size=len(payload), sha256=digest
    )
    return {"vosk-test": entry}


def test_manifest_pins_the_small_english_model() -> None:
    entry = load_manifest()["vosk-small-en"]
    assert entry.url == "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"
    assert entry.size == 41205931
    assert entry.sha256 == "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"


def test_install_downloads_verifies_and_extracts(home: Home, server: FileServer) -> None:
    manifest = entry_for(server, fake_model_zip())
    reports: list[tuple[int, int | None]] = []
    model = install_model(
        "vosk-test", home, progress=lambda done, total: reports.append((done, total)), manifest=manifest
    )
    assert model.path == home.models_dir / "vosk-model-test-0.1"
    assert (model.path / "am" / "final.mdl").exists()
    assert reports[-1][0] == reports[-1][1] == len(server.payload)
    assert len(reports) > 2 and [done for done, _ in reports] == sorted(done for done, _ in reports)
    assert not list((home.models_dir / ".downloads").glob("*"))  # the archive is cleaned up
    assert resolve_vosk_model(Settings(), home, manifest) == model.path


def test_checksum_mismatch_is_refused_and_the_file_deleted(home: Home, server: FileServer) -> None:
    manifest = entry_for(server, fake_model_zip(), sha256="0" * 64)
    with pytest.raises(ModelError, match="not the expected one: SHA-256"):
        install_model("vosk-test", home, manifest=manifest)
    assert not (home.models_dir / "vosk-model-test-0.1").exists()
    assert not list((home.models_dir / ".downloads").glob("*.part"))


def test_interrupted_download_resumes_with_a_range_request(home: Home, server: FileServer) -> None:
    manifest = entry_for(server, fake_model_zip())
    server.cut_after = 100_000
    with pytest.raises(ModelError, match="Run the same command again to resume"):
        install_model("vosk-test", home, manifest=manifest)
    partial = home.models_dir / ".downloads" / "vosk-model-test-0.1.zip.part"
    assert partial.stat().st_size == 100_000
    model = install_model("vosk-test", home, manifest=manifest)
    assert server.range_requests == ["bytes=100000-"]
    assert (model.path / "conf" / "model.conf").exists()


def test_corrupt_archive_is_reported(home: Home, server: FileServer) -> None:
    damaged = bytearray(fake_model_zip())
    damaged[200:260] = bytes(60)  # inside the first member's data: CRC check fails
    manifest = entry_for(server, bytes(damaged))
    with pytest.raises(ModelError, match="damaged|not a valid zip"):
        install_model("vosk-test", home, manifest=manifest)
    assert installed_models(home, manifest) == []


def test_unreachable_server_suggests_a_local_file(tmp_path: Path) -> None:
    with pytest.raises(DownloadError, match="Cannot reach.*models install PATH.zip"):
        download("http://127.0.0.1:9/model.zip", tmp_path / "model.zip", timeout=2)


def test_install_from_a_local_zip_and_remove(home: Home, tmp_path: Path) -> None:
    archive = tmp_path / "my-model.zip"
    archive.write_bytes(fake_model_zip("vosk-model-local"))
    model = install_model(str(archive), home)
    assert [item.name for item in installed_models(home)] == ["vosk-model-local"]
    assert remove_model("vosk-model-local", home) == model.path
    assert installed_models(home) == []


def test_install_from_a_folder(home: Home, tmp_path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(fake_model_zip("folder-model"))) as archive:
        archive.extractall(tmp_path)
    model = install_model(str(tmp_path / "folder-model"), home)
    assert (model.path / "am" / "final.mdl").exists()
    with pytest.raises(ModelError, match="already installed"):
        install_model(str(tmp_path / "folder-model"), home)


def test_a_zip_without_a_model_is_refused(home: Home, tmp_path: Path) -> None:
    archive = tmp_path / "photos.zip"
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("photo.jpg", b"jpeg")
    with pytest.raises(ModelError, match="does not contain a Vosk model"):
        install_model(str(archive), home)


def test_unsafe_paths_in_an_archive_are_refused(home: Home, tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as package:
        package.writestr("../../escape.txt", b"x")
    with pytest.raises(ModelError, match="unsafe path"):
        install_model(str(archive), home)


def test_unknown_names_and_removals_are_explained(home: Home) -> None:
    with pytest.raises(ModelError, match="neither a known model"):
        install_model("vosk-huge-xx", home)
    with pytest.raises(ModelError, match="No installed model called"):
        remove_model("vosk-small-en", home)


def test_progress_bar_draws_on_the_given_stream() -> None:
    stream = io.StringIO()
    bar = ProgressBar("Downloading", stream=stream)
    bar(50, 100)
    bar(100, 100)
    assert "100%" in stream.getvalue() and stream.getvalue().endswith("\n")
