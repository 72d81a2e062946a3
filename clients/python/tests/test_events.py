"""The events socket: a $/welcome on each subscription, signed (section 1)."""

from __future__ import annotations

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
