"""Replay protocol/examples/*.json against a fresh daemon per file (protocol/README.md section 9),
validating what is sent and received against protocol/schema/."""

from __future__ import annotations

import base64
import binascii
import json

import pytest
from jsonschema import ValidationError

from ballast_client import encode, sign, verify
from helpers import EXAMPLES, load_json, mismatches, schema, schema_name, validate

NO_REPLY_WAIT = 0.2  # seconds to wait before concluding that no reply came
REPLY_WAIT = 10.0

# Examples with "transport": "stdio" are spoken to `ballast --stdio` (section 11), not to the daemon:
# the Swift and Jupyter tests replay them through a bridge.
CONVERSATIONS = sorted(p for p in EXAMPLES.glob("*.json")
                       if p.name != "signing.json" and load_json(p).get("transport", "zeromq") != "stdio")


def test_examples_exist():
    assert CONVERSATIONS, f"no golden examples in {EXAMPLES}"
    assert (EXAMPLES / "signing.json").exists()


SIGNING = load_json(EXAMPLES / "signing.json")


@pytest.mark.parametrize("vector", SIGNING["vectors"] + SIGNING.get("vectors_with_buffers", []),
                         ids=lambda v: v["payload"][:40] + (f" +{len(v['buffers'])} buffers" if "buffers" in v else ""))
def test_signing_vectors(vector):
    payload = vector["payload"].encode("utf-8")
    buffers = decode_buffers(vector.get("buffers", []), "signing vector")
    assert sign(vector["key"], payload, buffers) == vector["signature"].encode("ascii")
    assert verify(vector["key"], vector["signature"], payload, buffers)
    assert not verify(vector["key"], vector["signature"], payload + b" ", buffers)
    assert not verify(vector["key"] + "x", vector["signature"], payload, buffers)
    if buffers:  # the buffers are covered: one more byte, or one buffer fewer, breaks it
        assert not verify(vector["key"], vector["signature"], payload, buffers[:-1])
        assert not verify(vector["key"], vector["signature"], payload, [*buffers[:-1], buffers[-1] + b"\0"])


def decode_buffers(encoded, where) -> list[bytes]:
    """Section 9's ``buffers``: base64 strings, one per binary frame after the payload."""
    assert isinstance(encoded, list), f"{where}: buffers must be an array of base64 strings"
    try:
        return [base64.b64decode(b, validate=True) for b in encoded]
    except (binascii.Error, TypeError) as error:
        raise AssertionError(f"{where}: a buffer is not base64: {error}") from None


def buffer_mismatches(expected, actual) -> list[str]:
    """Where the reply's buffers differ from ``expect_buffers`` (base64, or "$any" for any bytes)."""
    if len(expected) != len(actual):
        return [f"expected {len(expected)} buffers, got {len(actual)}"]
    problems = []
    for i, (want, got) in enumerate(zip(expected, actual)):
        if want == "$any":
            continue
        want_bytes = decode_buffers([want], f"expect_buffers[{i}]")[0]
        if bytes(got) != want_bytes:
            problems.append(f"buffer {i}: expected {len(want_bytes)} bytes {want}, got {len(got)} bytes "
                            f"{base64.b64encode(bytes(got)).decode('ascii')[:200]}")
    return problems


def is_request(message) -> bool:
    return isinstance(message, dict) and "id" in message and "method" in message


def schema_problems(message) -> list[str]:
    """Why ``message`` (a request or notification we send) is invalid by the schemas; [] if valid."""
    problems = []
    try:
        validate(message, "envelope")
    except ValidationError as error:
        problems.append(f"envelope: {error.message}")
    method = message.get("method") if isinstance(message, dict) else None
    if isinstance(method, str) and schema(schema_name(method) + ".params") is not None:
        params = message.get("params", {})  # omitted params mean {}
        try:
            validate(params, schema_name(method) + ".params")
        except ValidationError as error:
            problems.append(f"{schema_name(method)}.params: {error.message}")
    return problems


def check_reply(reply, sent, expect, where):
    assert reply is not None, f"{where}: no reply within {REPLY_WAIT} s; expected {json.dumps(expect)}"
    problems = mismatches(expect, reply)
    assert not problems, f"{where}: reply {json.dumps(reply)} does not match:\n  " + "\n  ".join(problems)
    validate(reply, "envelope")
    method = sent.get("method") if isinstance(sent, dict) else None
    if "result" in reply and isinstance(method, str) and schema(schema_name(method) + ".result") is not None:
        validate(reply["result"], schema_name(method) + ".result")


@pytest.mark.parametrize("path", CONVERSATIONS, ids=lambda p: p.stem)
def test_replay(path, start_daemon):
    example = load_json(path)
    socket = example.get("socket", "request")
    assert socket in ("request", "control"), f"{path.name}: unknown socket {socket!r}"
    initialize = example.get("initialize", socket == "request")
    exchanges = example["exchanges"]
    assert exchanges, f"{path.name} has no exchanges"

    # As the Swift replay's daemon: ephemeral, so `status` names no state directory.
    daemon = start_daemon("--ephemeral")
    with daemon.client() as client:
        if initialize:
            result = client.initialize("golden-replayer", "1.0", timeout=REPLY_WAIT)
            validate(result, "initialize.result")

        for index, exchange in enumerate(exchanges):
            where = f"{path.name} exchange {index}"
            assert ("send" in exchange) != ("send_raw" in exchange), f"{where}: needs exactly one of send, send_raw"
            if "send" in exchange:
                sent = exchange["send"]
                assert isinstance(sent, dict), f"{where}: send must be an object"
                payload = encode(sent)
                # What the schemas refuse, the daemon must refuse too; what it accepts must be valid.
                problems = schema_problems(sent)
                if problems:
                    assert "expect" in exchange and "error" in exchange["expect"], (
                        f"{where}: sends a message the schemas refuse ({problems}) yet expects success")
            else:
                assert isinstance(exchange["send_raw"], str), f"{where}: send_raw must be a string"
                payload = exchange["send_raw"].encode("utf-8")
                try:
                    sent = json.loads(payload)
                except json.JSONDecodeError:
                    sent = None

            buffers = decode_buffers(exchange.get("buffers", []), where)
            assert "expect" in exchange or "expect_buffers" not in exchange, f"{where}: expect_buffers without expect"
            client.send_raw(payload, socket=socket, buffers=buffers)
            if "expect" in exchange:
                received = client.receive_with_buffers(REPLY_WAIT, socket=socket)
                reply, reply_buffers = received if received is not None else (None, [])
                check_reply(reply, sent, exchange["expect"], where)
                problems = buffer_mismatches(exchange.get("expect_buffers", []), reply_buffers)
                assert not problems, f"{where}: reply buffers do not match:\n  " + "\n  ".join(problems)
            else:
                reply = client.receive(NO_REPLY_WAIT, socket=socket)
                assert reply is None, f"{where}: expected no reply, got {json.dumps(reply)}"

        assert client.dropped == 0, f"{path.name}: {client.dropped} replies had a bad signature"
        # Nothing else may be pending on either socket.
        for name in ("request", "control"):
            extra = client.receive(NO_REPLY_WAIT, socket=name)
            assert extra is None, f"{path.name}: unexpected extra message on {name}: {json.dumps(extra)}"


def test_matcher_rules():
    """The section 9 matcher itself, so a lenient matcher cannot hide a daemon bug."""
    assert not mismatches({"a": "$number", "b": [1, "$string"]}, {"a": 1.5, "b": [1.0, "x"]})
    assert mismatches({"a": 1}, {"a": 1, "b": 2})  # exactly the expected members
    assert mismatches({"a": 1}, {})
    assert mismatches({"a": "$integer"}, {"a": 1.5})
    assert mismatches({"a": "$number"}, {"a": True})
    assert mismatches({"a": 1}, {"a": True})
    assert mismatches({"a": "$null"}, {"a": 0})
    assert not mismatches(None, None) and mismatches(None, False)
    assert mismatches(["$any"], [])
    assert not mismatches(9, 9.000000000000002) and not mismatches(0.1, 0.09999999999999999)
    assert mismatches(3.27029895, 3.270298957824707) and mismatches(0, 1e-300)
    assert not mismatches("$/progress", "$/progress") and mismatches("$/progress", "$/welcome")
    for matcher in ("$any", "$string", "$number", "$integer", "$boolean", "$array", "$object", "$null"):
        assert not mismatches({"v": "$any"}, {"v": None})
        assert matcher in ("$any", "$null") or mismatches(matcher, None)


def test_buffer_matcher_rules():
    """expect_buffers: exact bytes from base64, "$any" for any bytes, and exactly as many buffers."""
    one, two = b"\x00\x00\x80?", b"\x01\x00\x00\x00"
    encoded = [base64.b64encode(b).decode("ascii") for b in (one, two)]
    assert not buffer_mismatches(encoded, [memoryview(one), memoryview(two)])
    assert not buffer_mismatches(["$any", encoded[1]], [b"anything", two])
    assert buffer_mismatches(encoded, [one, two + b"\0"])
    assert buffer_mismatches(encoded, [one])
    assert buffer_mismatches([], [one])
    assert not buffer_mismatches([], [])


@pytest.mark.parametrize("version", [
    "1",
    "1.x",
    "2.0",
])
def test_daemon_refuses_initialize_params_the_schema_refuses(client, version):
    params = {"client": {"name": "schema-check"}, "protocol_version": version}
    if version != "2.0":
        with pytest.raises(ValidationError):
            validate(params, "initialize.params")
    from ballast_client import RPCError

    with pytest.raises(RPCError) as refused:
        client.call("initialize", params)
    assert refused.value.code == -32602
    assert refused.value.data["field"] == "protocol_version"
