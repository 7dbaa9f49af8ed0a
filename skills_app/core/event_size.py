"""How large one websocket event may be, and how its size is counted.

Two limits, one above the other (docs/architecture.md, "How large an event may be"):

- `EVENT_PAYLOAD_MAX_BYTES`, the app's limit: an event whose arguments take
  more UTF-8 bytes as JSON is refused by a middleware with a kind message,
  nothing saved and the connection kept. The page's script
  (assets/app.js) holds back a frame over it before sending.
- `TRANSPORT_MAX_CHARS`, Engine.IO's `max_http_buffer_size`: a frame over it
  closes the connection before the app sees it. It sits four times above the
  app's limit so that anything between the two gets the message instead.

The largest event a patient can legitimately send is a diary card with every
field at its limit (a 20,000-character note, 10 triggers, every item): 147 KB
when every character costs the most it can, 6 bytes (a JSON escape `\\u00XX`;
an emoji takes 4). The relapse plan (11 lists of 2,000 characters) comes next
at 137 KB. The limit leaves 1.8 times the largest (tests/core/test_event_size.py
measures them).
"""

from __future__ import annotations

import json

EVENT_PAYLOAD_MAX_BYTES = 256 * 1024
# Engine.IO compares the length of a websocket text frame, in characters, with
# this number. A payload under the app's limit in bytes is under it in
# characters too, with room for the event's name and router data.
TRANSPORT_MAX_CHARS = 4 * EVENT_PAYLOAD_MAX_BYTES


def payload_bytes(payload: object) -> int:
    """The size of an event's arguments as compact JSON in UTF-8.

    Lone surrogates (which JSON can carry) count as the 3 bytes each they
    would take, rather than failing to encode.
    """
    encoded = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str)
    return len(encoded.encode("utf-8", "surrogatepass"))


def is_too_large(payload: object) -> bool:
    """Whether an event carrying `payload` is refused by the app."""
    return payload_bytes(payload) > EVENT_PAYLOAD_MAX_BYTES
