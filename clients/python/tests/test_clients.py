"""Several clients at once each get their own replies (section 1: replies go to their sender only)."""

from __future__ import annotations

import threading

from ballast_client import Client


def test_two_clients_interleaved(daemon):
    with daemon.client() as a, daemon.client() as b:
        session_a = a.initialize("a")["session"]
        session_b = b.initialize("b")["session"]
        assert session_a != session_b
        assert session_a == a.routing_id.hex() and session_b == b.routing_id.hex()
        # Pipeline requests from both before reading any reply.
        ids_a = [a.request("ping") for _ in range(50)]
        ids_b = [b.request("ping") for _ in range(50)]
        for request_id in reversed(ids_b):  # out of order: the client keeps the others aside
            assert b.wait(request_id, 10)["pong"] is True
        for request_id in ids_a:
            assert a.wait(request_id, 10)["pong"] is True
        assert a.receive(0.2) is None and b.receive(0.2) is None  # nobody got the other's replies
        assert a.control("status")["sessions"] == 2


def test_equal_ids_on_two_clients(daemon):
    """Ids may coincide across clients only when the payloads differ: the daemon refuses a payload
    it has seen, whoever sends it. This is why the library starts ids at a random 40-bit offset."""
    with daemon.client(first_id=7) as a, daemon.client(first_id=7) as b:
        a.initialize("same-id-a")  # id 7 on both, but the client names differ: both answered
        b.initialize("same-id-b")
        # Same id, different payloads (params omitted vs. empty): both answered, each to its sender.
        assert a.request("ping") == b.request("ping", {}) == 8
        assert a.wait(8, 10)["pong"] is True and b.wait(8, 10)["pong"] is True
        # Same id and byte-identical payloads: the second is a replay and goes unanswered.
        assert a.request("ping") == b.request("ping") == 9
        answered = [c for c in (a, b) if c.receive(1.0) is not None]
        assert len(answered) == 1
        assert a.control("status")["rejected"]["replayed"] == 1


def test_default_ids_are_random_and_increasing(daemon):
    with daemon.client() as a, daemon.client() as b:
        first_a, first_b = a.next_id(), b.next_id()
        assert first_a != first_b  # 1 chance in 2**40 of a false failure
        assert 0 <= first_a < 2**40 + 1 and a.next_id() == first_a + 1


def test_clients_in_threads(daemon):
    errors: list[BaseException] = []
    results: dict[int, int] = {}

    def work(index: int) -> None:
        try:
            with Client(daemon.info) as client:
                client.initialize(f"thread-{index}")
                count = 0
                for _ in range(200):
                    if client.call("ping", timeout=10)["pong"]:
                        count += 1
                results[index] = count
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert results == {i: 200 for i in range(4)}
