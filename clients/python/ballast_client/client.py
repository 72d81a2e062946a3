"""A synchronous Ballast client: signed JSON-RPC 2.0 over ZeroMQ (protocol/README.md).

One :class:`Client` per thread: ZeroMQ sockets are not thread-safe.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import secrets
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator, Mapping, Sequence

import zmq

from .connection import ConnectionInfo
from .api import DatasetAPI, ExperimentAPI, ModelAPI, RunAPI, WeightsAPI
from .interrupts import CANCEL_GRACE, CANCELLED, Interrupted
from .liveness import DaemonGone, Watch, daemon_process_is_gone
from .results import Result, Status, TuneResult
from .signing import Buffer, sign, verify

__all__ = ["Client", "DaemonGone", "Events", "RPCError", "RPCTimeout", "PROTOCOL_VERSION", "encode",
           "CONTROL_TIMEOUT", "check_timeout"]

PROTOCOL_VERSION = "1.0"
DEFAULT_TIMEOUT = 30.0  # for raw receives and events; requests wait while the daemon lives
# For control calls (ping, status, shutdown), which the daemon answers at once even while its workers
# are busy: the same as Swift's `Client.controlTimeout`.
CONTROL_TIMEOUT = 10.0
DEFAULT_LINGER_MS = 500
DEFAULT_MAX_MESSAGE_BYTES = 64 << 20  # ballastd's default --max-message-bytes (per frame)
MAX_BUFFERS = 64  # buffers one message may carry (protocol/README.md section 1)
WAIT_SLICE = 0.2  # how often a silent wait looks at the clock and the daemon

ProgressCallback = Callable[[Any], None]
NotificationCallback = Callable[[str, Any], None]


class RPCError(Exception):
    """The daemon answered a request with a JSON-RPC ``error`` object."""

    def __init__(self, code: int, message: str, data: Any = None):
        super().__init__(f"{message} (code {code})")
        self.code = code
        self.message = message
        self.data = data

    def __repr__(self) -> str:
        return f"RPCError(code={self.code!r}, message={self.message!r}, data={self.data!r})"


class RPCTimeout(TimeoutError):
    """No reply arrived in time. Unless the call was made with ``detach=True`` the request was
    cancelled (``cancelled`` is True); a late reply is discarded."""

    def __init__(self, message: str, *, cancelled: bool = False):
        super().__init__(message)
        self.cancelled = cancelled


def encode(message: Any) -> bytes:
    """Serialize a message compactly as UTF-8 JSON (no spaces, non-ASCII kept as is)."""
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def check_timeout(timeout: float | None, *, allow_zero: bool = False, name: str = "timeout") -> float | None:
    """``timeout`` itself when it is None (no limit) or a time to wait: a finite number of seconds
    above 0 (0 too, with ``allow_zero``, for a look that does not wait). Raises ValueError otherwise:
    NaN never compares as passed, and infinity is spelled None."""
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise ValueError(f"The {name} must be a number of seconds or None, not {timeout!r}.")
    if not math.isfinite(timeout) or timeout < 0 or (timeout == 0 and not allow_zero):
        least = "0 or more" if allow_zero else "above 0"
        raise ValueError(f"The {name} must be a finite number of seconds {least}, like 30 or 2.5 "
                         f"(None waits without a limit), not {timeout!r}.")
    return timeout


def _deadline(timeout: float | None) -> float | None:
    return None if timeout is None else time.monotonic() + timeout


def _remaining_ms(deadline: float | None) -> int | None:
    if deadline is None:
        return None
    return max(0, int((deadline - time.monotonic()) * 1000))


@dataclass(frozen=True)
class PreparedRequest:
    """A request encoded and signed, not yet sent (:meth:`Client.prepare_request`)."""

    id: int | str
    method: str
    socket: str
    payload: bytes
    signature: bytes
    buffers: list[memoryview]


class _Channel:
    """One DEALER socket to a ROUTER of the daemon, with signature checking on receipt.

    On the request socket (``buffers_allowed``) a message may carry binary buffers after its
    payload (protocol 1.6): ``[signature, payload, buffer_0, …]``, all covered by the signature.
    The control socket keeps exactly ``[signature, payload]``.
    """

    def __init__(self, context: zmq.Context, info: ConnectionInfo, endpoint: str, routing_id: bytes | None,
                 linger_ms: int, *, buffers_allowed: bool = False):
        self.key = info.key
        self.buffers_allowed = buffers_allowed
        self.socket = context.socket(zmq.DEALER)
        self.socket.setsockopt(zmq.LINGER, linger_ms)
        if routing_id is not None:
            self.socket.setsockopt(zmq.ROUTING_ID, routing_id)
        if info.is_ipv6:
            self.socket.setsockopt(zmq.IPV6, 1)
        self.socket.connect(endpoint)
        self.dropped = 0  # incoming messages refused: bad signature, wrong frame count, not JSON

    def send_payload(self, payload: bytes, signature: bytes | None = None,
                     buffers: Sequence[Buffer] = ()) -> None:
        """Send ``[signature, payload, *buffers]``, signed over all of them unless ``signature`` is given.
        Buffers go without a copy (ZeroMQ reads them in place until sent): do not change them after."""
        if buffers and not self.buffers_allowed:
            raise ValueError("Only the request socket carries binary buffers.")
        frames: list[Any] = [sign(self.key, payload, buffers) if signature is None else signature, payload]
        if not buffers:
            self.socket.send_multipart(frames)
            return
        # pyzmq copies frames below its copy threshold (64 KiB) anyway; larger ones go zero-copy.
        frames.extend(_frame_view(buffer) for buffer in buffers)
        self.socket.send_multipart(frames, copy=False)

    def receive(self, deadline: float | None) -> tuple[Any, list[memoryview]]:
        """The next verified, decoded message and its buffers; raises RPCTimeout at the deadline."""
        while True:
            wait = _remaining_ms(deadline)
            if not self.socket.poll(wait if wait is not None else -1, zmq.POLLIN):
                raise RPCTimeout("No message arrived in time.")
            signature = self.socket.recv()
            payload = self.socket.recv() if self.socket.getsockopt(zmq.RCVMORE) else None
            buffers: list[memoryview] = []
            while self.socket.getsockopt(zmq.RCVMORE):
                # Buffers stay in ZeroMQ's memory: a memoryview on the received frame, no copy.
                buffers.append(self.socket.recv(copy=False).buffer)
            if (payload is None or (buffers and not self.buffers_allowed)
                    or not verify(self.key, signature, payload, buffers)):
                self.dropped += 1
                continue
            try:
                message = json.loads(payload.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                self.dropped += 1
                continue
            if buffers and not _is_reply(message):  # notifications and events never carry buffers
                self.dropped += 1
                continue
            return message, buffers

    def close(self) -> None:
        self.socket.close()


def _is_reply(message: Any) -> bool:
    return isinstance(message, dict) and "id" in message and ("result" in message or "error" in message)


def _frame_view(buffer: Buffer) -> memoryview:
    """A flat byte view of ``buffer`` (bytes, a memoryview, a C-contiguous numpy array) for a frame."""
    view = memoryview(buffer)
    if not view.c_contiguous:
        raise ValueError("A buffer must be C-contiguous (numpy: np.ascontiguousarray).")
    return view if view.ndim == 1 and view.format == "B" else view.cast("B")


class Client:
    """A connection to ``ballastd``: the request socket, and the control socket on first use.

    The daemon's methods are typed methods of namespaces named as the protocol:
    ``client.dataset`` (``dataset/*``), ``client.weights``, ``client.model``,
    ``client.experiment``, ``client.run``, plus :meth:`ping` and :meth:`status`; each returns a
    result object (:mod:`ballast_client.results`). :meth:`call` sends any method by name.

    >>> with ballast_client.connect() as client:      # or Client(ConnectionInfo.load()) + initialize
    ...     client.dataset.generate(preset="fraud", name="cards")
    """

    def __init__(self, info: ConnectionInfo | None = None, *, context: zmq.Context | None = None,
                 routing_id: bytes | None = None, linger_ms: int = DEFAULT_LINGER_MS,
                 first_id: int | None = None):
        self.info = info if info is not None else ConnectionInfo.load()
        if self.info.path is not None and daemon_process_is_gone(self.info):
            # A daemon killed with SIGKILL leaves its connection file behind. (Only a daemon on a
            # loopback address has a pid to look at here.)
            raise DaemonGone("exited", self.info.pid, None, self.info.path)
        self._own_context = context is None
        self.context = zmq.Context() if context is None else context
        self.linger_ms = linger_ms
        self.routing_id = routing_id if routing_id is not None else os.urandom(16)
        # Ids start at a random 40-bit offset and count up: the daemon refuses a payload it has
        # seen before, so no two messages of any client sharing the key may be byte-identical.
        self._ids: Iterator[int] = itertools.count(secrets.randbits(40) if first_id is None else first_id)
        self._request = _Channel(self.context, self.info, self.info.request_endpoint, self.routing_id, linger_ms,
                                 buffers_allowed=True)
        self._control: _Channel | None = None
        # replies (and their buffers) that arrived while waiting for another id
        self._stash: dict[tuple[str, int | str], tuple[Any, list[memoryview]]] = {}
        self._methods: dict[tuple[str, int | str], str] = {}  # what each awaited request asked, for messages
        self._watch = Watch(self.info, self.context)
        self.session: str | None = None
        self.server_info: Any = None
        self.closed = False

    # -- plumbing ---------------------------------------------------------------------------------

    def next_id(self) -> int:
        return next(self._ids)

    def _channel(self, socket: str) -> _Channel:
        if socket == "request":
            return self._request
        if socket == "control":
            if self._control is None:
                self._control = _Channel(self.context, self.info, self.info.control_endpoint, None, self.linger_ms)
            return self._control
        raise ValueError(f"socket must be 'request' or 'control', not {socket!r}")

    @property
    def dropped(self) -> int:
        """How many incoming messages were dropped for a bad signature or framing."""
        return self._request.dropped + (self._control.dropped if self._control else 0)

    def send_raw(self, payload: bytes | str, *, socket: str = "request", signature: bytes | None = None,
                 buffers: Sequence[Buffer] = ()) -> None:
        """Send ``payload`` bytes as is and ``buffers`` after it, signed (or with the given
        ``signature`` frame). For tests."""
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        self._channel(socket).send_payload(payload, signature, buffers)

    def send_frames(self, frames: list[bytes], *, socket: str = "request") -> None:
        """Send arbitrary frames, unsigned. For tests of the daemon's refusals."""
        self._channel(socket).socket.send_multipart(frames)

    def receive(self, timeout: float | None = DEFAULT_TIMEOUT, *, socket: str = "request") -> Any:
        """The next verified message on ``socket`` (decoded JSON), or None after ``timeout`` seconds."""
        received = self.receive_with_buffers(timeout, socket=socket)
        return None if received is None else received[0]

    def receive_with_buffers(self, timeout: float | None = DEFAULT_TIMEOUT, *,
                             socket: str = "request") -> tuple[Any, list[memoryview]] | None:
        """The next verified message on ``socket`` and the buffers after its payload (read-only
        memoryviews on the received frames), or None after ``timeout`` seconds."""
        check_timeout(timeout, allow_zero=True)
        try:
            return self._channel(socket).receive(_deadline(timeout))
        except RPCTimeout:
            return None

    def request(self, method: str, params: Mapping[str, Any] | None = None, *, socket: str = "request",
                request_id: int | str | None = None, buffers: Sequence[Buffer] | None = None) -> int | str:
        """Send a request without waiting; returns its id (see :meth:`wait`).

        ``buffers`` (request socket only) are bytes-like objects (bytes, memoryviews, C-contiguous
        numpy arrays) sent as frames after the payload, which refers to them as ``{"buffer": i}``.
        They are sent without a copy: leave them unchanged until the reply has come.
        """
        return self.send_prepared(self.prepare_request(method, params, socket=socket, request_id=request_id,
                                                       buffers=buffers))

    def prepare_request(self, method: str, params: Mapping[str, Any] | None = None, *, socket: str = "request",
                        request_id: int | str | None = None,
                        buffers: Sequence[Buffer] | None = None) -> PreparedRequest:
        """Encode and sign a request without sending it (:meth:`send_prepared` sends it). It touches
        no socket, so another thread may prepare the next chunk of a large upload, signing its
        buffers, while this one waits for a reply."""
        if socket not in ("request", "control"):
            raise ValueError(f"socket must be 'request' or 'control', not {socket!r}")
        if buffers and socket != "request":
            raise ValueError("Only the request socket carries binary buffers.")
        request_id = self.next_id() if request_id is None else request_id
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = dict(params)
        payload = encode(message)
        views = [_frame_view(buffer) for buffer in buffers or ()]
        if socket == "request":
            self._check_frame_sizes(method, payload, views)
        return PreparedRequest(request_id, method, socket, payload, sign(self.info.key, payload, views), views)

    @property
    def max_message_bytes(self) -> int:
        """The largest frame the daemon's request socket accepts: as ``initialize`` announced it
        (``max_message_bytes``), else ballastd's documented default, 64 MiB."""
        info = self.server_info if isinstance(self.server_info, dict) else {}
        value = info.get("max_message_bytes")  # since protocol 1.6
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            return value
        return DEFAULT_MAX_MESSAGE_BYTES

    def _check_frame_sizes(self, method: str, payload: bytes, views: Sequence[memoryview]) -> None:
        """Refuse a frame the daemon would not take: libzmq drops a frame over its
        ``--max-message-bytes`` without a reply (the sender is disconnected), so the request would
        wait forever."""
        if len(views) > MAX_BUFFERS:
            raise ValueError(f"The {method} request carries {len(views)} buffers; a message carries at most "
                             f"{MAX_BUFFERS} (the daemon would drop it without a reply).")
        limit = self.max_message_bytes
        for what, frame in [("JSON payload", payload), *((f"buffer {i}", v) for i, v in enumerate(views))]:
            size = len(frame) if isinstance(frame, bytes) else frame.nbytes
            if size > limit:
                raise ValueError(
                    f"The {method} request's {what} is {size:,} bytes, more than the {limit:,} bytes the daemon "
                    f"accepts in one frame (ballastd --max-message-bytes); it would be dropped without a reply. "
                    f"Send less per request, or start ballastd with a larger --max-message-bytes.")

    def send_prepared(self, prepared: PreparedRequest) -> int | str:
        """Send a request made by :meth:`prepare_request`; returns its id (see :meth:`wait`)."""
        self._channel(prepared.socket).send_payload(prepared.payload, prepared.signature, prepared.buffers)
        self._methods[(prepared.socket, prepared.id)] = prepared.method
        if len(self._methods) > 1024:
            for stale in list(self._methods)[:512]:
                del self._methods[stale]
        return prepared.id

    def wait(self, request_id: int | str, timeout: float | None = None, *, socket: str = "request",
             progress_token: Any = None, on_progress: ProgressCallback | None = None,
             on_notification: NotificationCallback | None = None, detach: bool = False,
             with_buffers: bool = False) -> Any:
        """Wait for the reply to ``request_id``; return its result or raise :class:`RPCError`.
        With ``with_buffers`` return ``(result, buffers)``: the reply's binary buffers as read-only
        memoryviews (``numpy.frombuffer`` reads them without a copy).

        Notifications that arrive meanwhile go to the callbacks: ``$/progress`` whose token is
        ``progress_token`` to ``on_progress(value)``, every notification to
        ``on_notification(method, params)``. Replies to other ids are kept for their own ``wait``.

        Without ``timeout`` the wait lasts as long as the daemon lives: it raises
        :class:`DaemonGone` within a few seconds of the daemon exiting, being replaced or no longer
        answering pings. A client that stops waiting (``timeout`` ran out: :class:`RPCTimeout`;
        ``KeyboardInterrupt``: :class:`Interrupted` with the partial result) cancels the request, unless ``detach``.
        """
        check_timeout(timeout)
        key = (socket, request_id)
        try:
            return self._await(key, timeout, progress_token, on_progress, on_notification, with_buffers)
        except RPCTimeout:
            cancelled = not detach and socket == "request"
            if cancelled:
                self._abandon(request_id)
            method = self._methods.get(key, "the request")
            raise RPCTimeout(f"No reply to {method!r} (request {request_id!r}) within {timeout} s"
                             + ("; the request was cancelled (detach=True leaves it running)." if cancelled else "."),
                             cancelled=cancelled) from None
        except KeyboardInterrupt:
            if detach or socket != "request":
                raise
            self._abandon(request_id)
            raise self._interrupted(key) from None
        finally:
            self._methods.pop(key, None)

    def _interrupted(self, key: tuple[str, int | str]) -> Interrupted:
        """After Ctrl-C cancelled a request: its answer within :data:`CANCEL_GRACE` seconds, as an
        :class:`Interrupted` carrying the partial result (a second Ctrl-C stops waiting)."""
        method = self._methods.get(key, "the request")
        try:
            result = self._await(key, CANCEL_GRACE, None, None, None)
        except RPCError as error:
            partial = error.data if error.code == CANCELLED else None
            return Interrupted(method, key[1], partial=partial, answered=True)
        except (RPCTimeout, DaemonGone, KeyboardInterrupt, zmq.ZMQError):
            return Interrupted(method, key[1])
        return Interrupted(method, key[1], result=result, answered=True)

    def _abandon(self, request_id: int | str) -> None:
        """Cancel a request nobody waits for any more, so that no work runs on for nobody."""
        try:
            self.cancel(request_id, via_control=self.session is not None)
        except zmq.ZMQError:
            pass  # best effort: a closed socket or a gone daemon runs nothing

    def _await(self, key: tuple[str, int | str], timeout: float | None, progress_token: Any,
               on_progress: ProgressCallback | None, on_notification: NotificationCallback | None,
               with_buffers: bool = False) -> Any:
        socket, request_id = key
        channel = self._channel(socket)
        deadline = _deadline(timeout)
        self._watch.heard()
        while key not in self._stash:
            now = time.monotonic()
            slice_end = now + WAIT_SLICE if deadline is None else min(deadline, now + WAIT_SLICE)
            try:
                message, buffers = channel.receive(slice_end)
            except RPCTimeout:
                if deadline is not None and time.monotonic() >= deadline:
                    raise
                gone = self._watch.check(self._methods.get(key))
                if gone is not None:
                    if gone.reason != "exited" and socket == "request":
                        self._abandon(request_id)  # a stuck daemon that wakes up runs nothing for nobody
                    raise gone from None
                continue
            self._watch.heard()
            if not isinstance(message, dict):
                continue
            if "id" not in message and isinstance(message.get("method"), str):
                params = message.get("params")
                if (on_progress is not None and message["method"] == "$/progress" and isinstance(params, dict)
                        and progress_token is not None and params.get("token") == progress_token):
                    on_progress(params.get("value"))
                if on_notification is not None:
                    on_notification(message["method"], params)
                continue
            if "result" in message or "error" in message:
                reply_id = message.get("id")
                if reply_id is None:
                    # A parse error or batch refusal carries no id: it answers what we sent last.
                    self._stash[key] = (message, buffers)
                else:
                    self._stash[(socket, reply_id)] = (message, buffers)
                if len(self._stash) > 1024:  # forget replies nobody will wait for
                    for stale in list(self._stash)[:512]:
                        if stale != key:
                            del self._stash[stale]
        reply, buffers = self._stash.pop(key)
        if "error" in reply:
            error = reply["error"] if isinstance(reply["error"], dict) else {}
            raise RPCError(error.get("code", -32603), error.get("message", "(no message)"), error.get("data"))
        return (reply.get("result"), buffers) if with_buffers else reply.get("result")

    # -- the API ----------------------------------------------------------------------------------

    def call(self, method: str, params: Mapping[str, Any] | None = None, timeout: float | None = None,
             on_progress: ProgressCallback | None = None,
             on_notification: NotificationCallback | None = None, *, detach: bool = False,
             buffers: Sequence[Buffer] | None = None, with_buffers: bool = False) -> Any:
        """Call ``method`` on the request socket and return its result, or raise :class:`RPCError`.

        ``buffers`` go as binary frames after the payload (params refer to them as
        ``{"buffer": i}``); ``with_buffers=True`` returns ``(result, [memoryview])``, the reply's
        buffers in order.

        With ``on_progress`` and no ``progress_token`` in ``params``, a token is added (the request id).
        There is no time limit unless ``timeout`` is given: a long training waits as long as it
        runs, and :class:`DaemonGone` ends the wait if the daemon goes away. On a timeout or a
        ``KeyboardInterrupt`` (Ctrl-C, a Jupyter interrupt) the request is cancelled, unless
        ``detach=True`` leaves it running.
        """
        check_timeout(timeout)  # before anything is sent
        token = None
        if on_progress is not None:
            params = dict(params or {})
            token = params.setdefault("progress_token", f"progress-{self.next_id()}")
        request_id = self.request(method, params, buffers=buffers)
        return self.wait(request_id, timeout, progress_token=token, on_progress=on_progress,
                         on_notification=on_notification, detach=detach, with_buffers=with_buffers)

    def initialize(self, name: str, version: str | None = None, *, protocol_version: str = PROTOCOL_VERSION,
                   timeout: float | None = None) -> Any:
        """The handshake; returns the daemon's result (server, session, capabilities)."""
        client: dict[str, Any] = {"name": name}
        if version is not None:
            client["version"] = version
        result = self.call("initialize", {"client": client, "protocol_version": protocol_version}, timeout)
        self.server_info = result
        if isinstance(result, dict):
            self.session = result.get("session")
        return result

    # -- the typed API: namespaces named as the protocol (ballast_client/api.py) ------------------

    @property
    def dataset(self) -> DatasetAPI:
        """``dataset/*``: load, generate, put, get, describe, head, list, split, kfold, resample,
        standardize, drop."""
        return DatasetAPI(self)

    @property
    def weights(self) -> WeightsAPI:
        """``weights/compute``."""
        return WeightsAPI(self)

    @property
    def model(self) -> ModelAPI:
        """``model/*``: train, evaluate, predict, describe, list, save, load, drop."""
        return ModelAPI(self)

    @property
    def experiment(self) -> ExperimentAPI:
        """``experiment/*``: compare, sweep, tune."""
        return ExperimentAPI(self)

    def tune(self, dataset: str, **params: Any) -> TuneResult:
        """``experiment/tune`` on ``dataset``: :meth:`ExperimentAPI.tune` by a shorter name, with
        the same keywords (``objective``, ``candidates``, ``calibrate``, ``estimate``, …)."""
        return self.experiment.tune(dataset, **params)

    @property
    def run(self) -> RunAPI:
        """``run/*``: list, describe, compare, events, delete, cancel (and iter, iter_events)."""
        return RunAPI(self)

    def ping(self, *, timeout: float | None = CONTROL_TIMEOUT) -> Result:
        """``ping`` on the control socket (answered at once, even while every worker is busy):
        ``{pong: true, uptime_s}``."""
        return Result(self.control("ping", timeout=timeout))

    def status(self, *, timeout: float | None = CONTROL_TIMEOUT) -> Status:
        """``status`` on the control socket: ``pid``, ``uptime_s``, ``protocol_version``,
        ``sessions``, ``in_flight`` (``to_pandas()``), ``rejected``, ``shutting_down``, ``state_dir``."""
        return Status(self.control("status", timeout=timeout))

    def notify(self, method: str, params: Mapping[str, Any] | None = None, *, socket: str = "request") -> None:
        """Send a notification (no id, no reply)."""
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = dict(params)
        self._channel(socket).send_payload(encode(message))

    def control(self, method: str, params: Mapping[str, Any] | None = None,
                timeout: float | None = CONTROL_TIMEOUT) -> Any:
        """Call ``method`` (``ping``, ``status``, ``shutdown``) on the control socket."""
        check_timeout(timeout)
        request_id = self.request(method, params, socket="control")
        return self.wait(request_id, timeout, socket="control")

    def cancel(self, request_id: int | str, *, via_control: bool = False) -> None:
        """Ask the daemon to cancel one of this client's requests (``$/cancelRequest``).

        ``via_control`` sends it on the control socket with this session's name, for when the
        request socket is busy.
        """
        if via_control:
            if self.session is None:
                raise RuntimeError("cancel(via_control=True) needs an initialized session")
            self.notify("$/cancelRequest", {"id": request_id, "session": self.session}, socket="control")
        else:
            self.notify("$/cancelRequest", {"id": request_id})

    def shutdown(self, timeout: float | None = DEFAULT_TIMEOUT) -> None:
        """``shutdown`` then ``exit``: the daemon stops with status 0."""
        check_timeout(timeout)
        self.call("shutdown", timeout=timeout)
        self.notify("exit")

    def subscribe(self, topic: str, timeout: float | None = 10.0) -> "Events":
        """Subscribe to ``topic`` on the events socket; returns once the daemon's ``$/welcome`` arrived."""
        from .events import Events  # here, as events.py builds on this module

        events = Events(self.info, context=self.context, linger_ms=self.linger_ms)
        try:
            events.subscribe(topic, timeout)
        except BaseException:
            events.close()
            raise
        return events

    def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        self._watch.close()
        self._request.close()
        if self._control is not None:
            self._control.close()
        if self._own_context:
            self.context.term()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

