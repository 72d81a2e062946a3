"""Cancel stops a running fit (its Spark jobs), one fit runs at a time, and the sidecar then serves
the next fit. A long fit: separable data, l2 = 0 and tol = 0 (see conftest.separable_data)."""

from __future__ import annotations

from conftest import fit_request

CANCEL_BOUND = 120.0   # only catches a hang


def start_endless_fit(sidecar, separable_data) -> str:
    request_id = sidecar.start_fit(**fit_request(separable_data, l2=0.0, tol=0.0, max_iter=1_000_000))
    # Wait until L-BFGS iterates: the fitting stage, past the two jobs of reading and checking. A fit
    # that ends before that was not endless, and the cancel tests below would prove nothing.
    event, _ = sidecar.wait_for(lambda e: e.get("id") == request_id and (
        e["event"] in ("result", "error") or
        (e["event"] == "progress" and e["stage"] == "fitting" and e["jobs_done"] >= 6)))
    assert event["event"] == "progress", f"the 'endless' fit ended before it was cancelled: {event}"
    return request_id


def test_cancel_ends_a_running_fit_and_the_next_fit_is_served(sidecar, separable_data, binary_data):
    request_id = start_endless_fit(sidecar, separable_data)
    sidecar.send({"op": "cancel", "id": request_id})
    answer, before = sidecar.wait_for(lambda e: e.get("id") == request_id and e["event"] in ("result", "error"),
                                      bound=CANCEL_BOUND)
    assert (answer["event"], answer["kind"]) == ("error", "cancelled"), answer
    assert all(e["event"] == "progress" for e in before if e.get("id") == request_id)
    assert_progress_only_grows([e for e in sidecar.all_events if e.get("id") == request_id and e["event"] == "progress"])
    answer, _ = sidecar.fit(**fit_request(binary_data))
    assert answer["event"] == "result", answer


def assert_progress_only_grows(progress: list[dict]) -> None:
    """Reading, then fitting; each event differs from the one before; counts never fall back."""
    assert progress[0]["stage"] == "reading" and progress[-1]["stage"] == "fitting", progress
    states = [(p["stage"], p["tasks_done"], p["tasks_total"], p["jobs_done"]) for p in progress]
    assert all(a != b for a, b in zip(states, states[1:])), "a progress event repeated the one before"
    fitting = [s for s in states if s[0] == "fitting"]
    for earlier, later in zip(fitting, fitting[1:]):
        assert later[1] >= earlier[1] and later[3] >= earlier[3], (earlier, later)
    assert all(0 <= done <= total for _, done, total, _ in states), states


def test_a_second_fit_while_one_runs_is_refused_as_busy(sidecar, separable_data, binary_data):
    request_id = start_endless_fit(sidecar, separable_data)
    second = sidecar.start_fit(**fit_request(binary_data))
    answer, _ = sidecar.wait_for(lambda e: e.get("id") == second)
    assert (answer["event"], answer["kind"]) == ("error", "request") and "busy" in answer["message"], answer
    sidecar.send({"op": "cancel", "id": request_id})
    answer, _ = sidecar.wait_for(lambda e: e.get("id") == request_id and e["event"] == "error", bound=CANCEL_BOUND)
    assert answer["kind"] == "cancelled", answer


def test_a_cancel_while_the_file_is_read_ends_the_fit(sidecar, separable_data):
    request_id = sidecar.start_fit(**fit_request(separable_data, l2=0.0, tol=0.0, max_iter=1_000_000))
    sidecar.send({"op": "cancel", "id": request_id})
    answer, _ = sidecar.wait_for(lambda e: e.get("id") == request_id and e["event"] in ("result", "error"),
                                 bound=CANCEL_BOUND)
    assert (answer["event"], answer["kind"]) == ("error", "cancelled"), answer


def test_a_cancel_for_no_running_fit_is_ignored(sidecar, binary_data):
    sidecar.send({"op": "cancel", "id": "never-started"})
    answer, before = sidecar.fit(**fit_request(binary_data, l2=1e-2))
    assert answer["event"] == "result", answer
    assert not [e for e in sidecar.all_events if e.get("id") == "never-started"]
