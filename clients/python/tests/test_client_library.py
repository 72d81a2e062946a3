"""The client library's own behaviour: errors, timeouts, callbacks, dropped replies, cancellation.

Where the daemon cannot be made to misbehave, a real ZeroMQ ROUTER in the test plays the daemon.
"""

from __future__ import annotations

import json
import socket as pysocket
import threading
import time

import pytest
import zmq

from ballast_client import Client, ConnectionInfo, RPCError, RPCTimeout, encode, sign, verify

KEY = "fake-daemon-key-✓"


class FakeDaemon:
    """A ROUTER on 127.0.0.1 that runs ``script(router, identity, request)`` for each request."""

    def __init__(self, script):
        self.context = zmq.Context()
        self.router = self.context.socket(zmq.ROUTER)
        self.router.setsockopt(zmq.LINGER, 0)
        port = self.router.bind_to_random_port("tcp://127.0.0.1")
        self.info = ConnectionInfo(ip="127.0.0.1", request_port=port, control_port=_free_port(),
                                   event_port=_free_port(), key=KEY)
        self.script = script
        self.received: list[tuple[bytes, dict]] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while not self.stop.is_set():
            if not self.router.poll(50):
                continue
            identity, signature, payload = self.router.recv_multipart()
            assert verify(KEY, signature, payload)
            request = json.loads(payload)
            self.received.append((identity, request))
            self.script(self, identity, request)

    def send(self, identity: bytes, message, signature: bytes | None = None, frames=None):
        payload = message if isinstance(message, bytes) else encode(message)
        if frames is None:
            frames = [identity, sign(KEY, payload) if signature is None else signature, payload]
        self.router.send_multipart(frames)

    def close(self):
        self.stop.set()
        self.thread.join(5)
        self.router.close()
        self.context.term()


def _free_port() -> int:
    with pysocket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def fake(request):
    daemons = []

    def make(script):
        daemons.append(FakeDaemon(script))
        return daemons[-1]

    yield make
    for d in daemons:
        d.close()


def reply(request, result):
    return {"jsonrpc": "2.0", "id": request["id"], "result": result}


def test_forged_replies_are_dropped(fake):
    def script(d, identity, request):
        good = encode(reply(request, "genuine"))
        d.send(identity, reply(request, "forged"), signature=sign("wrong key", encode(reply(request, "forged"))))
        d.send(identity, None, frames=[identity, good])  # no signature frame
        d.send(identity, b"not json at all")  # signed but not JSON
        d.send(identity, good, signature=sign(KEY, good).upper())  # not lowercase hex
        d.send(identity, good)

    d = fake(script)
    with Client(d.info) as client:
        assert client.call("anything", timeout=5) == "genuine"
        assert client.dropped == 4


def test_progress_and_notifications_reach_the_callbacks(fake):
    def script(d, identity, request):
        token = request["params"]["progress_token"]
        for value in ({"kind": "begin", "title": "Working"}, {"kind": "report", "percentage": 50}):
            d.send(identity, {"jsonrpc": "2.0", "method": "$/progress", "params": {"token": token, "value": value}})
        d.send(identity, {"jsonrpc": "2.0", "method": "$/progress",
                          "params": {"token": "someone else's", "value": {"kind": "begin"}}})
        d.send(identity, {"jsonrpc": "2.0", "method": "$/progress",
                          "params": {"token": token, "value": {"kind": "end"}}})
        d.send(identity, reply(request, {"done": True}))

    d = fake(script)
    progress, notifications = [], []
    with Client(d.info) as client:
        result = client.call("train", {"epochs": 2}, timeout=5, on_progress=progress.append,
                             on_notification=lambda m, p: notifications.append((m, p)))
        assert result == {"done": True}
    assert [v["kind"] for v in progress] == ["begin", "report", "end"]
    assert progress[1]["percentage"] == 50
    assert len(notifications) == 4 and all(m == "$/progress" for m, _ in notifications)
    sent = d.received[0][1]
    assert sent["params"]["epochs"] == 2 and isinstance(sent["params"]["progress_token"], str)


def test_explicit_progress_token_is_kept(fake):
    def script(d, identity, request):
        d.send(identity, {"jsonrpc": "2.0", "method": "$/progress",
                          "params": {"token": 42, "value": {"kind": "begin"}}})
        d.send(identity, reply(request, None))

    d = fake(script)
    seen = []
    with Client(d.info) as client:
        assert client.call("train", {"progress_token": 42}, timeout=5, on_progress=seen.append) is None
    assert seen == [{"kind": "begin"}]
    assert d.received[0][1]["params"] == {"progress_token": 42}


def test_wire_format(fake):
    d = fake(lambda d, identity, request: d.send(identity, reply(request, identity.hex())) if "id" in request else None)
    with Client(d.info) as client:
        assert len(client.routing_id) == 16
        assert client.call("ping", timeout=5) == client.routing_id.hex()
        assert client.call("echo", {"text": "café ✓"}, timeout=5) == client.routing_id.hex()
        client.notify("note", {"x": 1})
        client.cancel(12345)
        deadline = time.monotonic() + 5
        while len(d.received) < 4 and time.monotonic() < deadline:
            time.sleep(0.01)
    messages = [m for _, m in d.received]
    first, second = messages[0]["id"], messages[1]["id"]
    assert isinstance(first, int) and second == first + 1 and 0 <= first < 2**40
    assert messages[0] == {"jsonrpc": "2.0", "id": first, "method": "ping"}  # params omitted
    assert messages[1]["params"] == {"text": "café ✓"}
    assert messages[2] == {"jsonrpc": "2.0", "method": "note", "params": {"x": 1}}
    assert messages[3] == {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 12345}}


def test_out_of_order_replies(fake):
    pending = []

    def script(d, identity, request):
        pending.append(request)
        if len(pending) == 2:  # answer the second first
            for r in reversed(pending):
                d.send(identity, reply(r, r["method"]))

    d = fake(script)
    with Client(d.info) as client:
        one, two = client.request("one"), client.request("two")
        assert client.wait(one, 5) == "one"
        assert client.wait(two, 5) == "two"


def test_timeout(fake):
    d = fake(lambda *args: None)  # never answers
    with Client(d.info) as client:
        started = time.monotonic()
        with pytest.raises(RPCTimeout):
            client.call("ping", timeout=0.3)
        assert 0.25 < time.monotonic() - started < 3


def test_close_is_bounded_without_a_daemon():
    info = ConnectionInfo(ip="127.0.0.1", request_port=_free_port(), control_port=_free_port(),
                          event_port=_free_port(), key="k")
    client = Client(info, linger_ms=200)
    client.notify("nobody-listens")
    started = time.monotonic()
    client.close()
    client.close()  # idempotent
    assert time.monotonic() - started < 3


# -- against the real daemon ---------------------------------------------------------------------

def test_rpc_error_fields(client):
    client.initialize("library")
    with pytest.raises(RPCError) as error:
        client.call("no/such/method")
    assert error.value.code == -32601
    assert error.value.message == "There is no method named 'no/such/method'."
    assert error.value.data == {"method": "no/such/method"}
    with pytest.raises(RPCError) as error:
        client.call("ping", {"verbose": True})
    assert error.value.code == -32602 and error.value.data == {"field": "verbose"}


def test_initialize_records_the_session(client):
    result = client.initialize("library", "0.1")
    assert client.session == result["session"] == client.routing_id.hex()
    assert result["server"]["name"] == "ballastd"
    assert "ping" in result["capabilities"]["methods"]


def test_control_needs_no_initialize(client):
    assert client.control("ping")["pong"] is True
    status = client.control("status")
    assert status["sessions"] == 0 and status["in_flight"] == []


def test_cancel_of_a_finished_request_does_nothing(client):
    client.initialize("library")
    finished = client.request("ping")
    assert client.wait(finished, 10)["pong"] is True
    client.cancel(finished)
    client.cancel(finished, via_control=True)
    assert client.receive(0.3) is None and client.receive(0.3, socket="control") is None
    assert client.call("ping")["pong"] is True
    assert client.control("status")["rejected"] == {"bad_signature": 0, "replayed": 0, "malformed": 0}


def test_cancel_via_control_needs_a_session(client):
    with pytest.raises(RuntimeError):
        client.cancel(1, via_control=True)


def test_progress_from_the_daemon(client, tmp_path):
    """dataset/load takes a progress_token: begin, any reports, end, then the reply (section 6)."""
    from helpers import validate

    path = tmp_path / "small.csv"
    path.write_text("a,b,label\n" + "".join(f"{i * 0.5},{-i},{int(i % 10 == 0)}\n" for i in range(500)))
    client.initialize("library")
    values, notifications = [], []
    result = client.call("dataset/load", {"path": str(path), "name": "small"}, on_progress=values.append,
                         on_notification=lambda method, params: notifications.append((method, params)))
    assert result["dataset"]["rows"] == 500
    kinds = [value["kind"] for value in values]
    assert kinds[0] == "begin" and kinds[-1] == "end" and set(kinds[1:-1]) <= {"report"}, kinds
    for method, params in notifications:
        assert method == "$/progress"
        validate(params, "_progress.params")
