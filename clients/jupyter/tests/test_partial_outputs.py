"""A real kernel, bridge and daemon: each output is shown as soon as its statement has run (the
bridge's partial results), before the cell's later statements end, and none is shown twice."""

from __future__ import annotations

import collections

from ballast_kernel.kernel import failure, refused_partial_results
from helpers import content, of_type

TRAINING = "train cards.train val=cards.validation model=mlp hidden=32 epochs=100 as net"  # a few seconds


def shown(messages: list[dict]) -> list[dict]:
    """The outputs' displays (not progress), in order."""
    return [message for message in of_type(messages, "display_data", "execute_result")
            if "display_id" not in (content(message).get("transient") or {})]


def shown_texts(messages: list[dict]) -> list[str]:
    return [content(message)["data"]["text/plain"] for message in shown(messages)
            if "image/svg+xml" not in content(message)["data"]]


def charts_by_output(messages: list[dict]) -> list[list[str]]:
    """The SVG charts shown after each text, grouped by the text they follow (one output's charts)."""
    groups: list[list[str]] = []
    for message in shown(messages):
        svg = content(message)["data"].get("image/svg+xml")
        if svg is None:
            groups.append([])
        elif groups:
            groups[-1].append(svg)
    return groups


def is_progress_display(message: dict) -> bool:
    return message["msg_type"] in ("display_data", "update_display_data") \
        and "display_id" in content(message).get("transient", {})


def test_the_first_output_is_shown_before_a_later_training_ends(kernel):
    reply, messages = kernel.run("echo first\n" + TRAINING)
    assert reply["content"]["status"] == "ok"
    [first] = [message for message in of_type(messages, "display_data")
               if content(message)["data"].get("text/plain") == "first"]
    progress = [message for message in messages if is_progress_display(message)]
    assert progress, "the training reported no progress"
    end = next((message for message in progress if "done" in content(message)["data"]["text/html"]), None)
    assert end is not None, "the training's progress never ended"
    assert messages.index(first) < messages.index(end), "`first` waited for the training to end"
    # In the order they happened: the echo's output above the training's progress, the training's
    # table (the cell's result) below it.
    assert messages.index(first) < messages.index(progress[0])
    [result] = of_type(messages, "execute_result")
    assert "net" in content(result)["data"]["text/plain"]
    assert messages.index(result) > messages.index(end)


def test_nothing_is_shown_twice_in_a_cell_of_many_statements(kernel):
    reply, messages = kernel.run(f"echo one\necho two; {TRAINING}\nplot net\necho last")
    assert reply["content"]["status"] == "ok"
    texts = shown_texts(messages)
    counts = collections.Counter(texts)
    assert counts["one"] == 1 and counts["two"] == 1 and counts["last"] == 1, counts
    assert all(count == 1 for count in counts.values()), counts
    # One output's charts follow its text, each once (two outputs may draw the same chart: the
    # training's validation F1 and plot's).
    groups = charts_by_output(messages)
    assert sum(len(group) for group in groups) >= 2, "plot drew its charts"
    assert all(len(set(group)) == len(group) for group in groups), "a chart was shown twice"
    # One output with text per statement (the training's table, the plot's text): 5 in all.
    assert len(texts) == 5, texts
    results = of_type(messages, "execute_result")
    assert [content(message)["data"]["text/plain"] for message in results] == ["last"]
    assert messages.index(results[0]) == max(messages.index(m) for m in of_type(messages, "display_data",
                                                                               "execute_result"))


def test_a_failing_statement_shows_what_ran_once_and_one_error(kernel):
    reply, messages = kernel.run("echo one\necho two\ntrain nope as x\necho never")
    assert reply["content"]["status"] == "error"
    assert shown_texts(messages) == ["one", "two"]
    assert of_type(messages, "execute_result") == []
    errors = of_type(messages, "error")
    assert len(errors) == 1 and content(errors[0])["ename"] == "NotFound", errors


def test_a_bridge_that_refuses_partial_results_is_asked_again_without_them():
    refusal = failure(-32602, "Unknown field 'partial_result_token'.", {"field": "partial_result_token"})
    assert refused_partial_results(refusal)
    assert not refused_partial_results(failure(-32602, "Bad width.", {"field": "width"}))
    assert not refused_partial_results({"status": "ok", "outputs": []})
