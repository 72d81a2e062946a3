"""Requests sent to ``ballast --stdio`` and what comes back for each, matched by id and token."""

from __future__ import annotations

import queue
import threading
from dataclasses import dataclass, field
from typing import Any

# What a call's events are: ("progress", value) for a `$/progress` under its progress token,
# ("partial", value) for one under its partial result token (`{"outputs": [OUTPUT], "index": I}`,
# an output as soon as its statement has run), ("reply", message) for its JSON-RPC reply (the last
# event), ("gone", sentence) when the bridge ended before replying (also the last event).
PROGRESS, PARTIAL, REPLY, GONE = "progress", "partial", "reply", "gone"


@dataclass
class Call:
    """One request in flight: its id on the bridge's standard input, and a queue of events that
    the reader thread fills and the kernel's thread drains, in the order the bridge wrote them."""

    id: int
    method: str
    progress_token: str | None = None
    partial_token: str | None = None
    events: queue.Queue = field(default_factory=queue.Queue)

    @property
    def tokens(self) -> list[str]:
        return [token for token in (self.progress_token, self.partial_token) if token is not None]

    def next_event(self, timeout: float) -> tuple[str, Any] | None:
        """The next event, or None when none came within `timeout` seconds."""
        try:
            return self.events.get(timeout=timeout)
        except queue.Empty:
            return None


class CallTable:
    """The calls of one bridge process that still wait for their reply."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_id: dict[int, Call] = {}
        self._by_token: dict[str, Call] = {}
        self._closed_because: str | None = None

    def add(self, call: Call) -> bool:
        """Waits for `call`'s reply; False when the bridge has already ended."""
        with self._lock:
            if self._closed_because is not None:
                return False
            self._by_id[call.id] = call
            for token in call.tokens:
                self._by_token[token] = call
            return True

    def discard(self, call: Call) -> None:
        """Forgets a call that was never sent."""
        with self._lock:
            self._by_id.pop(call.id, None)
            for token in call.tokens:
                self._by_token.pop(token, None)

    def deliver(self, message: dict) -> None:
        """Routes one message the bridge wrote: a reply to its call, a `$/progress` to the call
        that carried its token (as progress or as a partial result, by which of its tokens it is).
        Anything else (another notification, an unknown id) is dropped."""
        if "method" not in message and "id" in message:
            with self._lock:
                call = self._by_id.pop(message["id"], None) if isinstance(message["id"], int) else None
                for token in call.tokens if call is not None else []:
                    self._by_token.pop(token, None)
            if call is not None:
                call.events.put((REPLY, message))
        elif message.get("method") == "$/progress":
            params = message.get("params") or {}
            with self._lock:
                call = self._by_token.get(params.get("token"))
            if call is not None and isinstance(params.get("value"), dict):
                kind = PARTIAL if params.get("token") == call.partial_token else PROGRESS
                call.events.put((kind, params["value"]))

    def close(self, because: str) -> None:
        """The bridge has ended: every waiting call, and any added later, learns why."""
        with self._lock:
            self._closed_because = because
            waiting = list(self._by_id.values())
            self._by_id.clear()
            self._by_token.clear()
        for call in waiting:
            call.events.put((GONE, because))
