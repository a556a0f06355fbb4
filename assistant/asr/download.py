"""Resumable, verified HTTP downloads with a progress report (urllib only)."""

from __future__ import annotations

import hashlib
import http.client
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

Progress = Callable[[int, "int | None"], None]
"""Called with (bytes done, total bytes or None when unknown)."""

PIECE = 64 * 1024


class DownloadError(Exception):
    """The download failed; the message says whether running again resumes it."""


def download(
    url: str,
    target: Path,
    *,
    size: int | None = None,
    sha256: str | None = None,
    progress: Progress | None = None,
    timeout: float = 30.0,
) -> Path:
    """Fetch ``url`` into ``target``, resuming ``target.part`` left by an interrupted run.

    Verifies the size and SHA-256 when known. A checksum mismatch deletes the
    partial file, since resuming it could never succeed.
    """
    partial = target.with_name(target.name + ".part")
    target.parent.mkdir(parents=True, exist_ok=True)
    have = partial.stat().st_size if partial.exists() else 0
    if size is None or have < size:
        _fetch(url, partial, have, size, progress, timeout)
    done = partial.stat().st_size
    if size is not None and done != size:
        if done > size:
            partial.unlink()
        raise DownloadError(
            f"The download of {url} has {done} bytes but should have {size}. "
            "Run the same command again to resume (or retry from scratch if it keeps failing)."
        )
    if sha256:
        actual = file_sha256(partial)
        if actual.lower() != sha256.lower():
            partial.unlink()
            raise DownloadError(
                f"The file from {url} is not the expected one: SHA-256 {actual}, expected {sha256}. "
                "The partial file was deleted; run the command again. If this repeats, the server "
                "or a proxy is altering the file."
            )
    partial.replace(target)
    return target


def _fetch(
    url: str, partial: Path, have: int, size: int | None, progress: Progress | None, timeout: float
) -> None:
    request = urllib.request.Request(url, headers={"User-Agent": "desk-assistant"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as error:
        if error.code == 416 and have:
            return  # nothing left to fetch: the partial file is complete, verification decides
        raise DownloadError(f"The server refused {url}: HTTP {error.code} {error.reason}.") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise DownloadError(
            f"Cannot reach {url} ({reason}). Check the network, or download the file elsewhere and "
            "install it from the file: `assistant models install PATH.zip`."
        ) from error
    with response:
        resumed = have and response.status == 206
        if not resumed:
            have = 0  # the server ignored our Range header: start over
        length = response.headers.get("Content-Length")
        total = size if size is not None else (have + int(length) if length and length.isdigit() else None)
        done = have
        with open(partial, "ab" if resumed else "wb") as output:
            try:
                while True:
                    piece = response.read(PIECE)
                    if not piece:
                        break
                    output.write(piece)
                    done += len(piece)
                    if progress:
                        progress(done, total)
            except (http.client.IncompleteRead, OSError) as error:
                raise DownloadError(
                    f"The download of {url} stopped after {done / 1e6:.1f} MB ({error}). "
                    "Run the same command again to resume where it stopped."
                ) from error
    if total is not None and done < total:
        raise DownloadError(
            f"The download of {url} stopped after {done / 1e6:.1f} of {total / 1e6:.1f} MB. "
            "Run the same command again to resume where it stopped."
        )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for piece in iter(lambda: source.read(1 << 20), b""):
            digest.update(piece)
    return digest.hexdigest()


class ProgressBar:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    def __init__(self, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.label = label
        self.stream = stream or sys.stderr
        self.width = width
        self._last = 0.0

    def __call__(self, done: int, total: int | None) -> None:
        now = time.monotonic()
        finished = total is not None and done >= total
        if now - self._last < 0.1 and not finished:
            return
        self._last = now
        if total:
            filled = int(self.width * done / total)
            bar = "#" * filled + "." * (self.width - filled)
            line = f"{self.label} [{bar}] {done / 1e6:6.1f}/{total / 1e6:.1f} MB {100 * done / total:3.0f}%"
        else:
            line = f"{self.label} {done / 1e6:6.1f} MB"
        self.stream.write("\r" + line)
        if finished:
            self.stream.write("\n")
        self.stream.flush()
