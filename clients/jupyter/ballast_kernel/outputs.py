"""What one `repl/execute` result becomes in Jupyter: a message plan of display bundles, charts
and at most one error, and the execute reply's content. Pure functions; the kernel sends them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CANCELLED = -32800

# The name a Jupyter `error` carries for each JSON-RPC code (protocol/README.md section 5).
ERROR_NAMES = {
    -32700: "SyntaxError",
    -32600: "InvalidRequest",
    -32601: "MethodNotFound",
    -32602: "InvalidParams",
    -32603: "InternalError",
    -32002: "NotInitialized",
    CANCELLED: "Cancelled",
    -32001: "NotFound",
    -32010: "InvalidData",
    -32011: "ResourceLimit",
    -32012: "Conflict",
    -32013: "DaemonUnavailable",
    -32014: "TrainingDiverged",
}

# Where an error happened, in the order the traceback's last line names them.
WHERE_KEYS = ("line", "column", "field", "path")


@dataclass(frozen=True)
class Message:
    """One iopub message to send: its type and content."""

    type: str
    content: dict[str, Any]


def error_name(error: dict) -> str:
    data = error.get("data") if isinstance(error.get("data"), dict) else {}
    if error.get("code") == -32602 and data.get("kind") == "usage":
        return "UsageError"
    return ERROR_NAMES.get(error.get("code"), "BallastError")


def error_content(error: dict, text: str = "") -> dict[str, Any]:
    """A Jupyter error's `ename`, `evalue` and `traceback`: the REPL's report of the error (its
    message, code and data lines) and a last line saying where in the cell it happened."""
    data = error.get("data") if isinstance(error.get("data"), dict) else {}
    message = str(error.get("message") or "The command failed.")
    traceback = text.rstrip("\n").split("\n") if text.strip() else [f"error: {message} (code {error.get('code')})"]
    # The REPL's report already has the data's lines (`field: optimizer.lr`); the cell's line and
    # column are the kernel's to add.
    where = [f"{key} {data[key]}" for key in WHERE_KEYS
             if data.get(key) not in (None, "") and f"{key}: " not in text]
    if where:
        traceback.append("at " + ", ".join(where))
    return {"ename": error_name(error), "evalue": message, "traceback": traceback}


def text_bundle(output: dict) -> dict[str, str] | None:
    """The output's text as text/plain, with its tables as text/html; None when it drew nothing."""
    text = output.get("text") or ""
    html = output.get("html")
    if not text.strip() and not html:
        return None
    bundle = {"text/plain": text.rstrip("\n")}
    if html:
        bundle["text/html"] = html
    return bundle


def chart_bundles(output: dict) -> list[dict[str, str]]:
    """Each chart as an SVG image, with its title as the text/plain stand-in."""
    return [{"image/svg+xml": chart["svg"], "text/plain": chart.get("title") or "chart"}
            for chart in output.get("charts") or [] if chart.get("svg")]


def cell_messages(result: dict, execution_count: int) -> list[Message]:
    """The messages that show one cell's outputs, in order: each output's text (and tables) as
    `display_data`, the last successful one as the cell's `execute_result` when the cell ran to
    its end, each chart after its text as `display_data`, and the failing output as an `error`."""
    outputs = result.get("outputs") or []
    finished = result.get("status") == "ok"
    last_shown = max((index for index, output in enumerate(outputs)
                      if not output.get("error") and text_bundle(output) is not None), default=None)
    messages: list[Message] = []
    for index, output in enumerate(outputs):
        if output.get("error"):
            messages.append(Message("error", error_content(output["error"], output.get("text") or "")))
            continue
        bundle = text_bundle(output)
        if bundle is not None:
            if finished and index == last_shown:
                messages.append(Message("execute_result", {"data": bundle, "metadata": {},
                                                           "execution_count": execution_count}))
            else:
                messages.append(Message("display_data", {"data": bundle, "metadata": {}, "transient": {}}))
        for chart in chart_bundles(output):
            messages.append(Message("display_data", {"data": chart, "metadata": {}, "transient": {}}))
    if not finished and not any(message.type == "error" for message in messages):
        # "cancelled" while still queued comes with no outputs; say so all the same.
        messages.append(Message("error", error_content(
            {"code": CANCELLED, "message": "The cell was cancelled before it ran."})))
    return messages


def reply_content(result: dict, execution_count: int) -> dict[str, Any]:
    """The execute_reply: ok, or the error of the output that failed."""
    if result.get("status") == "ok":
        return {"status": "ok", "execution_count": execution_count, "payload": [], "user_expressions": {}}
    failed = next((output for output in reversed(result.get("outputs") or []) if output.get("error")), None)
    error = failed["error"] if failed else {"code": CANCELLED, "message": "The cell was cancelled before it ran."}
    content = error_content(error, (failed.get("text") or "") if failed else "")
    return {"status": "error", "execution_count": execution_count, **content}
