"""Binary frames (protocol 1.6, sections 1 and 2): ``[signature, payload, buffer_0, …]`` on the
request socket, signed over the payload and each buffer's 8-byte little-endian length and bytes.
Against a real daemon on ephemeral ports."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pytest

from ballast_client import RPCError, encode, sign, verify

QUIET = 1.0  # seconds to wait before concluding that no reply came


def independent_signature(key: str, payload: bytes, buffers: list[bytes]) -> str:
    """The spec's signature built as one message, without ballast_client: payload, then for each
    buffer its length (u64 little-endian) and bytes."""
    message = payload + b"".join(len(b).to_bytes(8, "little") + b for b in buffers)
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()


SIGNING_VECTORS = [
    # key, payload, buffers, the signature in lowercase hex (checked against hmac below too)
    ("secret", b'{"jsonrpc":"2.0","id":1,"method":"ping"}', [],
     "8613902e1f33a358132a1a432c46351d34950ed784ccf163568080aaf9eff5bb"),
    ("secret", b'{"jsonrpc":"2.0","id":1,"method":"ping"}', [b""],
     "52674776b14ecfeb9d76f32bec1a9c013a2945457e43b774fbc22737c02e073b"),
    ("secret", b'{"id":7}', [np.array([1.0, 2.5], dtype="<f4").tobytes(), np.array([0, 1], dtype="<i4").tobytes()],
     "dd2785b201144f7b3d704e8271877f02e550354076cb6c13b2bed34d4cbacce3"),
    ("café ✓", b"{}", [b"\x00" * 3, b"\xff"], "4ba3f7c28a2e4351326fa049218101d4860a46a0040d6ca69ddf91e989cce4bb"),
]


@pytest.mark.parametrize("key, payload, buffers, expected", SIGNING_VECTORS)
def test_signature_covers_each_buffer_length_and_bytes(key, payload, buffers, expected):
    signature = sign(key, payload, buffers)
    assert signature.decode("ascii") == independent_signature(key, payload, buffers) == expected
    assert verify(key, signature, payload, buffers)
    assert verify(key, signature, payload, [memoryview(b) for b in buffers])  # views read in place
    assert not verify(key, signature, payload, [*buffers, b""])  # one more (empty) buffer
    if buffers:
        assert not verify(key, signature, payload, buffers[:-1])
        # Moving a byte from one buffer to the next keeps the concatenation but not the lengths.
        if len(buffers) == 2 and buffers[0]:
            moved = [buffers[0][:-1], buffers[0][-1:] + buffers[1]]
            assert not verify(key, signature, payload, moved)
        flipped = bytearray(buffers[-1] or b"\0")
        flipped[0] ^= 1
        assert not verify(key, signature, payload, [*buffers[:-1], bytes(flipped)])


def test_no_buffers_is_the_signature_of_the_payload_alone():
    payload = encode({"jsonrpc": "2.0", "id": 3, "method": "ping"})
    assert sign("k", payload, []) == sign("k", payload) == hmac.new(b"k", payload, hashlib.sha256).hexdigest().encode()


def test_numpy_arrays_sign_as_their_bytes():
    matrix = np.arange(12, dtype="<f4").reshape(3, 4)
    assert sign("k", b"{}", [matrix]) == sign("k", b"{}", [matrix.tobytes()])


def put_params(request_id: int, rows: int = 2) -> dict:
    return {"jsonrpc": "2.0", "id": request_id, "method": "dataset/put",
            "params": {"name": f"frames{request_id}", "columns": [{"name": "a"}, {"name": "b"}],
                       "classes": ["no", "yes"], "rows": rows, "features": {"buffer": 0}, "labels": {"buffer": 1}}}


def two_rows() -> list[bytes]:
    return [np.array([[0.5, 1.0], [2.0, -3.0]], dtype="<f4").tobytes(), np.array([0, 1], dtype="<i4").tobytes()]


def rejected(client) -> dict:
    return client.control("status")["rejected"]


def test_a_corrupted_buffer_is_dropped_unanswered_and_the_next_honest_request_is_served(client):
    client.initialize("frames-test")
    before = rejected(client)
    payload = encode(put_params(client.next_id()))
    buffers = two_rows()
    signature = sign(client.info.key, payload, buffers)
    corrupted = bytearray(buffers[0])
    corrupted[5] ^= 0x40
    client.send_frames([signature, payload, bytes(corrupted), buffers[1]])
    assert client.receive(QUIET) is None, "a message whose buffer does not match its signature was answered"
    assert client.dropped == 0
    assert rejected(client)["bad_signature"] == before["bad_signature"] + 1

    # The same request with an honest signature (a new id: the replay guard never saw it) is served.
    honest = put_params(client.next_id())
    result = client.call("dataset/put", honest["params"], buffers=two_rows())
    assert result["dataset"]["rows"] == 2
    assert client.dropped == 0


def test_a_buffer_dropped_from_the_message_breaks_the_signature(client):
    client.initialize("frames-test")
    before = rejected(client)
    payload = encode(put_params(client.next_id()))
    buffers = two_rows()
    client.send_frames([sign(client.info.key, payload, buffers), payload, buffers[0]])
    assert client.receive(QUIET) is None
    assert rejected(client)["bad_signature"] == before["bad_signature"] + 1


def test_buffers_to_a_method_that_takes_none_are_refused_naming_them(client):
    client.initialize("frames-test")
    with pytest.raises(RPCError) as refused:
        client.call("dataset/list", buffers=[b"\0\0\0\0"])
    assert refused.value.code == -32602


def test_an_unreferenced_buffer_is_refused(client):
    client.initialize("frames-test")
    params = put_params(client.next_id())["params"]
    with pytest.raises(RPCError) as refused:
        client.call("dataset/put", params, buffers=[*two_rows(), b"extra"])
    assert refused.value.code == -32602


def test_a_buffer_of_the_wrong_length_names_the_field_and_both_byte_counts(client):
    client.initialize("frames-test")
    params = put_params(client.next_id(), rows=3)["params"]  # 3 rows, buffers for 2
    with pytest.raises(RPCError) as refused:
        client.call("dataset/put", params, buffers=two_rows())
    assert refused.value.code == -32602
    assert refused.value.data["field"] in ("features", "labels")
    assert "24" in refused.value.message and "16" in refused.value.message  # 3×2×4 expected, 2×2×4 sent


def test_a_reply_carries_buffers_the_client_verifies_and_returns_as_memoryviews(client):
    client.initialize("frames-test")
    params = put_params(client.next_id())["params"]
    client.call("dataset/put", params, buffers=two_rows())
    result, buffers = client.call("dataset/get", {"dataset": params["name"]}, with_buffers=True)
    assert all(isinstance(b, memoryview) for b in buffers)
    features = np.frombuffer(buffers[result["features"]["buffer"]], dtype="<f4").reshape(result["features"]["shape"])
    labels = np.frombuffer(buffers[result["labels"]["buffer"]], dtype="<i4")
    assert features.tobytes() == two_rows()[0] and labels.tobytes() == two_rows()[1]
    assert client.dropped == 0


def test_the_control_socket_carries_no_buffers(client):
    with pytest.raises(ValueError):
        client.send_raw(encode({"jsonrpc": "2.0", "id": client.next_id(), "method": "ping"}), socket="control",
                        buffers=[b"x"])


def test_a_non_contiguous_array_is_refused_before_sending(client):
    client.initialize("frames-test")
    strided = np.arange(8, dtype="<f4").reshape(2, 4)[:, ::2]
    with pytest.raises(ValueError, match="contiguous"):
        client.call("dataset/put", put_params(client.next_id())["params"], buffers=[strided, two_rows()[1]])
