"""Draw the meditation timer's bell sounds (assets/sounds/*.wav) with plain Python.

Each bell is a few decaying sine partials, written as 12 kHz mono 16-bit WAV by
the standard library's `wave` module: no recording, no licence to track, and
each file stays small (under 64 KB) so the service worker can precache them
all. Run from the repository root: `.venv/bin/python docs/make_bells.py`.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 12_000
OUT = Path(__file__).resolve().parent.parent / "assets" / "sounds"

# name: (seconds, [(frequency Hz, loudness, decay time constant s), ...])
BELLS = {
    # A low singing bowl: inharmonic partials, a long, slowly beating hum.
    "bowl": (2.6, [(196.0, 1.0, 1.4), (198.5, 0.5, 1.4), (541.0, 0.45, 0.9),
                   (1057.0, 0.2, 0.5)]),
    # A small bright bell.
    "bell": (1.8, [(880.0, 1.0, 0.7), (1760.0, 0.35, 0.35), (2640.0, 0.2, 0.2),
                   (3700.0, 0.1, 0.12)]),
    # A soft wooden chime: short and warm.
    "chime": (1.2, [(660.0, 1.0, 0.35), (1320.0, 0.3, 0.18), (1980.0, 0.15, 0.1)]),
}
PEAK = 0.7  # of full scale: loud enough, never clipping
ATTACK = 0.006  # seconds: no click at the start
RELEASE = 0.15  # seconds: the tail fades to silence


def samples(seconds: float, partials: list[tuple[float, float, float]]) -> list[float]:
    count = int(seconds * RATE)
    out = []
    for n in range(count):
        t = n / RATE
        value = sum(loud * math.exp(-t / decay) * math.sin(2 * math.pi * freq * t)
                    for freq, loud, decay in partials)
        envelope = min(1.0, t / ATTACK, (seconds - t) / RELEASE)
        out.append(value * envelope)
    top = max(abs(v) for v in out)
    return [v / top * PEAK for v in out]


def write(name: str, seconds: float, partials: list[tuple[float, float, float]]) -> Path:
    path = OUT / f"{name}.wav"
    frames = b"".join(struct.pack("<h", round(v * 32767)) for v in samples(seconds, partials))
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)
    return path


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    for bell_name, (length, bell_partials) in BELLS.items():
        written = write(bell_name, length, bell_partials)
        print(f"{written.relative_to(OUT.parent.parent)}: {written.stat().st_size:,} bytes")
