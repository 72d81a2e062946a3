"""How a `repl/execute` result becomes Jupyter messages (ballast_kernel.outputs)."""

from __future__ import annotations

from ballast_kernel.outputs import CellOutputs, cell_messages, error_content, reply_content


def output(text: str, html: str | None = None, charts=(), error=None, command="echo") -> dict:
    made = {"command": command, "line": 1, "method": None, "text": text, "html": html,
            "charts": [{"title": title, "svg": svg} for title, svg in charts], "result": None}
    if error is not None:
        made["error"] = error
    return made


NOT_FOUND = {"code": -32001, "message": "No dataset named nope.", "data": {"field": "dataset", "name": "nope", "line": 2}}


def test_a_finished_cell_ends_with_its_last_text_as_the_execute_result_and_charts_after_it():
    result = {"status": "ok", "outputs": [
        output("first\n"),
        output("", command="split"),  # drew nothing: no message
        output("table\n", html="<div class=\"ballast-output\"><table></table></div>",
               charts=[("loss", "<svg>1</svg>"), ("pr", "<svg>2</svg>")], command="plot"),
    ]}
    messages = cell_messages(result, execution_count=7)
    assert [m.type for m in messages] == ["display_data", "execute_result", "display_data", "display_data"]
    assert messages[0].content["data"] == {"text/plain": "first"}
    assert messages[1].content["execution_count"] == 7
    assert messages[1].content["data"]["text/html"].startswith("<div")
    assert messages[2].content["data"] == {"image/svg+xml": "<svg>1</svg>", "text/plain": "loss"}
    assert reply_content(result, 7) == {"status": "ok", "execution_count": 7, "payload": [], "user_expressions": {}}


def test_a_failed_cell_shows_what_ran_then_one_error_and_no_execute_result():
    result = {"status": "error", "outputs": [
        output("ok so far\n"),
        output("error: No dataset named nope. (code -32001)\n  field: dataset\n", error=NOT_FOUND, command="train"),
    ]}
    messages = cell_messages(result, execution_count=3)
    assert [m.type for m in messages] == ["display_data", "error"]
    error = messages[1].content
    assert error["ename"] == "NotFound" and error["evalue"] == "No dataset named nope."
    assert error["traceback"] == ["error: No dataset named nope. (code -32001)", "  field: dataset",
                                  "at line 2"]
    reply = reply_content(result, 3)
    assert reply["status"] == "error" and reply["ename"] == "NotFound" and reply["execution_count"] == 3


def test_error_names_follow_the_code_and_a_usage_error_says_so():
    usage = {"code": -32602, "message": "train needs a dataset.", "data": {"kind": "usage", "line": 1}}
    lexer = {"code": -32700, "message": "Unclosed quote.", "data": {"line": 3, "column": 9}}
    assert error_content(usage)["ename"] == "UsageError"
    assert error_content({"code": -32602, "message": "Bad lr."})["ename"] == "InvalidParams"
    assert error_content(lexer)["traceback"] == ["error: Unclosed quote. (code -32700)", "at line 3, column 9"]
    assert error_content({"code": -32800, "message": "Cancelled."})["ename"] == "Cancelled"
    assert error_content(NOT_FOUND)["traceback"][-1] == "at line 2, field dataset", "no report: the data says where"
    assert error_content({"code": 12345, "message": "Odd."})["ename"] == "BallastError"


def test_a_cell_cancelled_while_queued_says_so():
    result = {"status": "cancelled", "outputs": []}
    messages = cell_messages(result, execution_count=1)
    assert [m.type for m in messages] == ["error"]
    assert messages[0].content["ename"] == "Cancelled"
    assert reply_content(result, 1)["ename"] == "Cancelled"


# Shown as they come: partial results while the cell runs, then the final reply, each output once.

def kinds(messages) -> list[tuple[str, str]]:
    return [(m.type, m.content["data"].get("text/plain", "") if "data" in m.content else m.content["ename"])
            for m in messages]


def test_outputs_are_shown_as_their_partials_come_and_the_reply_adds_only_the_cell_result():
    shown = CellOutputs(execution_count=4)
    first, second = output("one\n"), output("two\n", charts=[("loss", "<svg>1</svg>")])
    assert shown.add(first, 0) == [], "held back: it may be the cell's result"
    assert kinds(shown.add(second, 1)) == [("display_data", "one")]
    assert shown.add(first, 0) == [], "an output is shown once"
    end = shown.finish({"status": "ok", "outputs": [first, second]})
    assert kinds(end) == [("execute_result", "two"), ("display_data", "loss")]
    assert end[0].content["execution_count"] == 4


def test_a_later_command_reporting_progress_shows_the_held_output_above_its_progress():
    shown = CellOutputs(execution_count=1)
    assert shown.add(output("first\n"), 0) == []
    assert kinds(shown.later_command_started(1)) == [("display_data", "first")]
    assert shown.later_command_started(1) == []
    assert shown.later_command_started(0) == [], "progress of a shown command releases nothing"
    table = output("the table\n", command="train")
    assert shown.add(table, 1) == []
    assert kinds(shown.finish({"status": "ok", "outputs": [output("first\n"), table]})) == [
        ("execute_result", "the table")]


def test_a_failed_output_is_shown_at_once_after_the_held_one_and_not_again():
    shown = CellOutputs(execution_count=2)
    failed = output("error: No dataset named nope. (code -32001)\n", error=NOT_FOUND, command="train")
    shown.add(output("ok so far\n"), 0)
    assert kinds(shown.add(failed, 1)) == [("display_data", "ok so far"), ("error", "NotFound")]
    assert shown.finish({"status": "error", "outputs": [output("ok so far\n"), failed]}) == []


def test_outputs_without_partials_come_from_the_reply_and_an_output_without_text_stays_after_the_held_one():
    shown = CellOutputs(execution_count=5)
    assert shown.add(output("one\n"), 0) == []
    charts_only = output("", charts=[("pr", "<svg>p</svg>")], command="plot")
    assert shown.add(charts_only, 1) == []
    missed = output("three\n")  # its partial never came: the reply has it
    end = shown.finish({"status": "ok", "outputs": [output("one\n"), charts_only, missed]})
    assert kinds(end) == [("display_data", "one"), ("display_data", "pr"), ("execute_result", "three")]


def test_a_failure_the_kernel_made_comes_after_the_outputs_already_shown():
    shown = CellOutputs(execution_count=6)
    shown.add(output("before\n"), 0)
    made = {"status": "cancelled", "outputs": [output("", error={"code": -32800, "message": "Gave up."})]}
    assert kinds(shown.finish(made, indexed=False)) == [("display_data", "before"), ("error", "Cancelled")]
