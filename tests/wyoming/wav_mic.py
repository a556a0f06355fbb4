"""A microphone for wyoming-satellite's --mic-command: silence until GO_FILE exists, then the
WAV file, then silence again; raw 16 kHz mono s16le on stdout at the pace of real time."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from assistant.audio.convert import read_wav

BLOCK = 2048  # 1024 samples, what the satellite reads per chunk


def main() -> None:
    pcm, go = read_wav(sys.argv[1]), Path(sys.argv[2])
    out = sys.stdout.buffer
    began, sent = time.monotonic(), 0
    offset = -1
    while True:
        if offset < 0 and go.exists():
            offset = 0
        if 0 <= offset < len(pcm):
            block = pcm[offset : offset + BLOCK].ljust(BLOCK, b"\0")
            offset += BLOCK
        else:
            block = bytes(BLOCK)
        out.write(block)
        out.flush()
        sent += BLOCK
        time.sleep(max(0.0, sent / 32000 - (time.monotonic() - began)))


if __name__ == "__main__":
    try:
        main()
    except (BrokenPipeError, KeyboardInterrupt):
        pass
