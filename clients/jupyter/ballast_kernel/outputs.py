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


def output_messages(output: dict, execution_count: int | None = None) -> list[Message]:
    """The messages that show one output: its text (and tables), as the cell's `execute_result`
    when `execution_count` is given, else as `display_data`; then each chart as `display_data`;
    a failed output is one `error`."""
    if output.get("error"):
        return [Message("error", error_content(output["error"], output.get("text") or ""))]
    messages: list[Message] = []
    bundle = text_bundle(output)
    if bundle is not None:
        if execution_count is not None:
            messages.append(Message("execute_result", {"data": bundle, "metadata": {},
                                                       "execution_count": execution_count}))
        else:
            messages.append(Message("display_data", {"data": bundle, "metadata": {}, "transient": {}}))
    for chart in chart_bundles(output):
        messages.append(Message("display_data", {"data": chart, "metadata": {}, "transient": {}}))
    return messages


class CellOutputs:
    """Shows a cell's outputs as they come, each once: from `$/progress` partial results while the
    cell runs (`add`), then from the final reply (`finish`), which repeats every output.

    Only the last output with text of a cell that succeeded is its `execute_result`, and which one
    that is cannot be known before the cell ends. So the latest output with text (and any without
    text after it) is held back until a later output with text comes, a later command reports
    progress (it will have an output of its own), or the cell ends."""

    def __init__(self, execution_count: int) -> None:
        self.execution_count = execution_count
        self._seen: set[int] = set()
        self._held: list[dict] = []
        self._errored = False

    def add(self, output: dict, index: int | None = None) -> list[Message]:
        """The messages to send now for the output at `index` of the final `outputs` (None: an
        output the kernel made itself, after every output of the bridge); none when it was shown."""
        if index is not None:
            if index in self._seen:
                return []
            self._seen.add(index)
        if output.get("error"):
            self._errored = True
            return self.release() + output_messages(output)
        if text_bundle(output) is None and self._held:
            self._held.append(output)  # nothing to show in its place: it stays after the held one
            return []
        messages = self.release()
        self._held = [output]
        return messages

    def later_command_started(self, index: Any) -> list[Message]:
        """A command at `index` reports progress: the held outputs are from commands before it,
        so none of them is the cell's last; show them now, above that command's progress."""
        if isinstance(index, int) and self._held and index not in self._seen and index > max(self._seen, default=-1):
            return self.release()
        return []

    def release(self) -> list[Message]:
        """The held outputs as `display_data`."""
        held, self._held = self._held, []
        return [message for output in held for message in output_messages(output)]

    def finish(self, result: dict, *, indexed: bool = True) -> list[Message]:
        """What is left to show once the cell has ended with `result`: its outputs not shown yet
        (`indexed`: the bridge's reply, whose outputs are in order from index 0; else outputs the
        kernel made, shown after everything), then the held ones, the first of them as the
        `execute_result` when the cell succeeded."""
        messages: list[Message] = []
        for position, output in enumerate(result.get("outputs") or []):
            messages += self.add(output, position if indexed else None)
        if result.get("status") == "ok" and self._held:
            held, self._held = self._held, []
            messages += output_messages(held[0], self.execution_count)
            messages += [message for output in held[1:] for message in output_messages(output)]
        else:
            messages += self.release()
        if result.get("status") != "ok" and not self._errored:
            # "cancelled" while still queued comes with no outputs; say so all the same.
            self._errored = True
            messages.append(Message("error", error_content(
                {"code": CANCELLED, "message": "The cell was cancelled before it ran."})))
        return messages


def cell_messages(result: dict, execution_count: int) -> list[Message]:
    """The messages that show one cell's outputs when none was shown while it ran, in order: each
    output's text (and tables) as `display_data`, the last one with text as the cell's
    `execute_result` when the cell ran to its end, each chart after its text as `display_data`,
    and the failing output as an `error`."""
    return CellOutputs(execution_count).finish(result)


def reply_content(result: dict, execution_count: int) -> dict[str, Any]:
    """The execute_reply: ok, or the error of the output that failed."""
    if result.get("status") == "ok":
        return {"status": "ok", "execution_count": execution_count, "payload": [], "user_expressions": {}}
    failed = next((output for output in reversed(result.get("outputs") or []) if output.get("error")), None)
    error = failed["error"] if failed else {"code": CANCELLED, "message": "The cell was cancelled before it ran."}
    content = error_content(error, (failed.get("text") or "") if failed else "")
    return {"status": "error", "execution_count": execution_count, **content}
