"""The daemon's events socket: a SUB socket that yields verified ``(topic, message)`` pairs."""

from __future__ import annotations

import json
import time
from typing import Any, Iterator

import zmq

from .client import DEFAULT_LINGER_MS, DEFAULT_TIMEOUT, RPCTimeout, check_timeout, _deadline, _remaining_ms
from .connection import ConnectionInfo
from .signing import verify


class Events:
    """A SUB socket on the daemon's events socket; yields verified ``(topic, message)`` pairs."""

    def __init__(self, info: ConnectionInfo, *, context: zmq.Context | None = None,
                 linger_ms: int = DEFAULT_LINGER_MS):
        self.info = info
        self._own_context = context is None
        self.context = zmq.Context() if context is None else context
        self.socket = self.context.socket(zmq.SUB)
        self.socket.setsockopt(zmq.LINGER, linger_ms)
        if info.is_ipv6:
            self.socket.setsockopt(zmq.IPV6, 1)
        self.socket.connect(info.event_endpoint)
        self.topics: list[str] = []
        self.welcome: dict[str, Any] = {}  # topic -> the $/welcome message received for it
        self._backlog: list[tuple[str, Any]] = []
        self.dropped = 0
        self.closed = False

    FIRST_RESEND = 0.25  # seconds without a welcome before the subscription is sent again
    LONGEST_RESEND_INTERVAL = 2.0  # the intervals double up to this

    def subscribe(self, topic: str, timeout: float | None = 10.0) -> Any:
        """Subscribe and wait for the ``$/welcome`` on ``topic``; returns the welcome message.

        The daemon may refuse a subscription it cannot yet tell apart from junk (anyone on the
        machine can reach the events socket; see protocol/README.md section 2) and never says so,
        so while no welcome comes the subscription is sent again, at doubling intervals from
        ``FIRST_RESEND`` up to ``LONGEST_RESEND_INTERVAL`` seconds, until ``timeout``.
        """
        check_timeout(timeout)
        encoded = topic.encode("utf-8")
        self.socket.setsockopt(zmq.SUBSCRIBE, encoded)
        self.topics.append(topic)
        deadline = _deadline(timeout)
        interval = self.FIRST_RESEND
        resend = time.monotonic() + interval
        while True:
            if time.monotonic() >= resend:
                # libzmq's SUB sends a repeated subscription upstream as it is.
                self.socket.setsockopt(zmq.SUBSCRIBE, encoded)
                interval = min(interval * 2, self.LONGEST_RESEND_INTERVAL)
                resend = time.monotonic() + interval
            received = self._receive(resend if deadline is None else min(deadline, resend))
            if received is None:
                if deadline is not None and time.monotonic() >= deadline:
                    raise RPCTimeout(f"No $/welcome on topic {topic!r} within {timeout} s.")
                continue
            got_topic, message = received
            params = message.get("params") if isinstance(message, dict) else None
            if (got_topic == topic and isinstance(message, dict) and message.get("method") == "$/welcome"
                    and isinstance(params, dict) and params.get("topic") == topic):
                self.welcome[topic] = message
                return message
            self._backlog.append(received)

    def _receive(self, deadline: float | None) -> tuple[str, Any] | None:
        while True:
            wait = _remaining_ms(deadline)
            if not self.socket.poll(wait if wait is not None else -1, zmq.POLLIN):
                return None
            frames = self.socket.recv_multipart()
            if len(frames) != 3 or not verify(self.info.key, frames[1], frames[2]):
                self.dropped += 1
                continue
            try:
                return frames[0].decode("utf-8"), json.loads(frames[2].decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                self.dropped += 1

    def next(self, timeout: float | None = DEFAULT_TIMEOUT) -> tuple[str, Any] | None:
        """The next verified ``(topic, message)``, or None after ``timeout`` seconds."""
        check_timeout(timeout, allow_zero=True)
        if self._backlog:
            return self._backlog.pop(0)
        return self._receive(_deadline(timeout))

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        while True:
            item = self.next(None)
            if item is not None:
                yield item

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self.socket.close()
        if self._own_context:
            self.context.term()

    def __enter__(self) -> "Events":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
