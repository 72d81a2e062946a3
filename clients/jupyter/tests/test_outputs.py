"""How a `repl/execute` result becomes Jupyter messages (ballast_kernel.outputs)."""

from __future__ import annotations

from ballast_kernel.outputs import cell_messages, error_content, reply_content


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
