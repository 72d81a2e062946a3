"""Messages that fail verification are never executed, never answered, and are counted (section 2)."""

from __future__ import annotations

import os
import stat

import pytest

from ballast_client import Client, RPCError, encode, sign
from helpers import validate

QUIET = 0.3  # seconds of silence that mean "not answered"


def rejected(client: Client) -> dict:
    status = client.control("status")
    validate(status, "status.result")
    return status["rejected"]


def message(client: Client, method: str, **params) -> bytes:
    body = {"jsonrpc": "2.0", "id": client.next_id(), "method": method}
    if params:
        body["params"] = params
    return encode(body)


def test_bad_signature_is_dropped_and_counted(client):
    client.initialize("security")
    assert rejected(client) == {"bad_signature": 0, "replayed": 0, "malformed": 0}

    # A forged `shutdown`: if it were executed the daemon would refuse new work (-32013).
    forged = message(client, "shutdown")
    client.send_raw(forged, signature=sign("not the key", forged))
    assert client.receive(QUIET) is None
    # Right length and alphabet, wrong value; uppercase hex of the right value is not the signature either.
    second = message(client, "shutdown")
    client.send_raw(second, signature=b"0" * 64)
    assert client.receive(QUIET) is None
    third = message(client, "ping")
    client.send_raw(third, signature=sign(client.info.key, third).upper())
    assert client.receive(QUIET) is None

    assert client.call("ping")["pong"] is True  # still working, so nothing was shut down
    status = client.control("status")
    assert status["shutting_down"] is False
    assert status["rejected"] == {"bad_signature": 3, "replayed": 0, "malformed": 0}


def test_bad_signature_on_control_socket(client):
    forged = message(client, "shutdown")
    client.send_raw(forged, socket="control", signature=sign("wrong", forged))
    assert client.receive(QUIET, socket="control") is None
    status = client.control("status")
    assert status["shutting_down"] is False
    assert status["rejected"]["bad_signature"] == 1


def test_missing_signature_is_dropped_and_counted(client):
    client.initialize("security")
    # One frame: the payload alone, as an unsigned JSON-RPC client would send it.
    client.send_frames([message(client, "shutdown")])
    assert client.receive(QUIET) is None
    # Since 1.6 a third frame is a buffer, which the signature must cover: the payload's own
    # signature does not, so this is a bad signature rather than bad framing.
    payload = message(client, "shutdown")
    client.send_frames([sign(client.info.key, payload), payload, b"extra"])
    assert client.receive(QUIET) is None
    client.send_frames([message(client, "ping")], socket="control")
    assert client.receive(QUIET, socket="control") is None

    assert client.call("ping")["pong"] is True
    status = client.control("status")
    assert status["shutting_down"] is False
    counts = status["rejected"]
    assert counts["replayed"] == 0
    # Wrong frame counts are "malformed" (the daemon never gets as far as a signature); the control
    # socket takes no buffers, so three frames there would be malformed too.
    assert counts["malformed"] + counts["bad_signature"] == 3
    assert counts["malformed"] == 2 and counts["bad_signature"] == 1


def test_replay_is_dropped_and_counted(daemon):
    with daemon.client() as alice, daemon.client() as mallory:
        # Alice's initialize, recorded on the wire and replayed by Mallory on her own session.
        payload = encode({"jsonrpc": "2.0", "id": alice.next_id(), "method": "initialize",
                          "params": {"client": {"name": "alice"}}})
        signature = sign(alice.info.key, payload)
        alice.send_raw(payload, signature=signature)
        reply = alice.receive(10)
        assert reply is not None and "result" in reply, reply

        mallory.send_raw(payload, signature=signature)
        assert mallory.receive(QUIET) is None
        # Not executed: Mallory's session is still uninitialized.
        with pytest.raises(RPCError) as refused:
            mallory.call("ping")
        assert refused.value.code == -32002

        # Alice replaying her own accepted ping is not answered either.
        ping = message(alice, "ping")
        alice.send_raw(ping)
        assert alice.receive(10)["result"]["pong"] is True
        alice.send_raw(ping)
        assert alice.receive(QUIET) is None

        # Replays on the control socket are refused too.
        control_ping = message(alice, "ping")
        alice.send_raw(control_ping, socket="control")
        assert alice.receive(10, socket="control")["result"]["pong"] is True
        alice.send_raw(control_ping, socket="control")
        assert alice.receive(QUIET, socket="control") is None

        status = alice.control("status")
        assert status["rejected"] == {"bad_signature": 0, "replayed": 3, "malformed": 0}
        assert status["sessions"] == 1  # Alice only


def test_refused_messages_are_logged(client):
    forged = message(client, "ping")
    client.send_raw(forged, signature=sign("wrong", forged))
    client.send_frames([b"lonely"])
    assert client.receive(QUIET) is None
    assert client.control("status")["rejected"]["bad_signature"] == 1


def test_connection_file_permissions(daemon):
    file_mode = stat.S_IMODE(os.stat(daemon.connection_file).st_mode)
    folder_mode = stat.S_IMODE(os.stat(daemon.connection_file.parent).st_mode)
    assert file_mode == 0o600, oct(file_mode)
    assert folder_mode == 0o700, oct(folder_mode)
    # No temporary file is left beside it; the daemon's lock (section 3) is private too.
    name = daemon.connection_file.name
    assert sorted(p.name for p in daemon.connection_file.parent.iterdir()) == [name, name + ".daemon.lock"]
    lock_mode = stat.S_IMODE(os.stat(daemon.connection_file.parent / (name + ".daemon.lock")).st_mode)
    assert lock_mode == 0o600, oct(lock_mode)
