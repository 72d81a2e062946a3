"""The events socket: a $/welcome on each subscription, signed (section 1)."""

from __future__ import annotations

import threading
import time

import zmq

from ballast_client import Events, sign, verify
from helpers import validate


def test_subscribe_gets_a_signed_welcome(client):
    with client.subscribe("run.test", timeout=10) as events:
        welcome = events.welcome["run.test"]
        assert welcome == {"jsonrpc": "2.0", "method": "$/welcome",
                           "params": {"topic": "run.test", "protocol_version": client.info.protocol_version}}
        validate(welcome, "envelope")
        validate(welcome["params"], "_welcome.params")
        assert events.dropped == 0
        assert events.next(0.2) is None  # nothing else on the topic


def test_welcome_signature_on_the_wire(daemon):
    """Read the raw frames with a bare SUB socket and check the signature by hand."""
    context = zmq.Context()
    socket = context.socket(zmq.SUB)
    socket.setsockopt(zmq.LINGER, 0)
    try:
        socket.connect(daemon.info.event_endpoint)
        socket.setsockopt(zmq.SUBSCRIBE, b"run.test")
        assert socket.poll(10_000), "no $/welcome within 10 s"
        topic, signature, payload = socket.recv_multipart()
        assert topic == b"run.test"
        assert signature == sign(daemon.info.key, payload)
        assert verify(daemon.info.key, signature, payload)
        assert not verify("another key", signature, payload)
        assert b'"$/welcome"' in payload
    finally:
        socket.close()
        context.term()


def test_every_subscriber_gets_its_own_welcome(daemon):
    with Events(daemon.info) as first, Events(daemon.info) as second:
        first.subscribe("run.test", timeout=10)
        # A second subscriber to the same topic is welcomed too (the daemon's XPUB is verbose).
        second.subscribe("run.test", timeout=10)
        second.subscribe("daemon", timeout=10)
        assert set(second.welcome) == {"run.test", "daemon"}


def test_a_refused_subscription_is_sent_again_until_welcomed(daemon):
    """Keyless peers take every place on the events socket (64 peers x 64 topics), so the daemon
    refuses the next subscription, silently; once a place is freed, the resent one is welcomed."""
    peers, per_peer = 64, 64
    context = zmq.Context()
    hogs = []
    try:
        for peer in range(peers):
            hog = context.socket(zmq.XSUB)
            hog.setsockopt(zmq.LINGER, 0)
            hog.connect(daemon.info.event_endpoint)
            for index in range(per_peer):
                hog.send(b"\x01" + f"run.h{peer:02d}.{index:02d}".encode())
            hogs.append(hog)
        for peer, hog in enumerate(hogs):  # each hears its own welcomes: every place is taken
            for _ in range(per_peer):
                assert hog.poll(20_000), f"hog {peer} was not welcomed"
                hog.recv_multipart()

        outcome: dict[str, object] = {}

        def subscribe() -> None:
            try:
                with Events(daemon.info) as events:
                    outcome["welcome"] = events.subscribe("run.honest", timeout=20)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                outcome["error"] = error

        thread = threading.Thread(target=subscribe)
        thread.start()
        refused = "Refused one subscription more than all peers together may hold"
        deadline = time.monotonic() + 20
        while refused not in daemon.log() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert refused in daemon.log(), "the first subscription was refused"
        hogs[0].send(b"\x00run.h00.00")  # frees one place
        thread.join(30)
        assert not thread.is_alive()
        assert "error" not in outcome, outcome.get("error")
        assert outcome["welcome"]["params"]["topic"] == "run.honest"
    finally:
        for hog in hogs:
            hog.close()
        context.term()
