"""The Ballast kernel: cells of Ballast commands, run by ``ballast --stdio``'s `repl/*` methods
(protocol/README.md section 11, "The command language"), shown as Jupyter messages."""

from __future__ import annotations

import itertools
import time
import uuid
from typing import Any

from ipykernel.kernelbase import Kernel

from . import __version__
from .bridge import Bridge, BridgeError, BridgeUnavailable
from .calls import GONE, PARTIAL, PROGRESS, Call
from .interrupts import InterruptCounter
from .outputs import CANCELLED, CellOutputs, Message, reply_content
from .progress import CellProgress

WIDTH = 100              # the text width the renderings fit (a notebook's output area)
LOOKUP_TIMEOUT = 10.0    # seconds a completion, inspection or is_complete may take
CANCEL_PATIENCE = 30.0   # seconds to wait for a cancelled cell's reply before restarting the bridge
POLL = 0.1               # seconds between two looks at the interrupt count while a cell runs
DAEMON_UNAVAILABLE = -32013


def failure(code: int, message: str, data: dict | None = None) -> dict[str, Any]:
    """A `repl/execute` result of one failed output, for failures the bridge could not report."""
    error = {"code": code, "message": message, "data": data or {}}
    output = {"command": "", "line": 1, "method": None, "text": "", "html": None, "charts": [],
              "result": None, "error": error}
    return {"outputs": [output], "status": "cancelled" if code == CANCELLED else "error"}


def refused_partial_results(result: dict[str, Any]) -> bool:
    """Whether the bridge refused `partial_result_token` as an unknown field (an older `ballast`)."""
    outputs = result.get("outputs") or []
    error = (outputs[0].get("error") or {}) if len(outputs) == 1 else {}
    data = error.get("data") if isinstance(error.get("data"), dict) else {}
    return error.get("code") == -32602 and data.get("field") == "partial_result_token"


class BallastKernel(Kernel):
    implementation = "ballast_kernel"
    implementation_version = __version__
    language = "ballast"
    language_version = "1.7"
    language_info = {
        "name": "ballast",
        "version": "1.7",
        "mimetype": "text/x-ballast",
        "file_extension": ".bal",
        # No editor knows Ballast; the shell's modes colour its comments, strings and words.
        "codemirror_mode": "shell",
        "pygments_lexer": "bash",
    }
    banner = ("Ballast: imbalanced classification (CE, WCE, focal) in cells of Ballast commands.\n"
              "`help` lists the commands; Tab completes; Shift-Tab shows a command's help.")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bridge = Bridge()
        self.interrupts = InterruptCounter()
        self.interrupts_before = 0
        self.cells = itertools.count(1)  # numbers the partial result tokens

    # ipykernel makes SIGINT raise KeyboardInterrupt while it handles a request; count them instead.

    def pre_handler_hook(self) -> None:
        self.interrupts.install()
        self.interrupts_before = self.interrupts.count  # later ones are meant for this request

    def post_handler_hook(self) -> None:
        self.interrupts.restore()

    # Executing

    async def do_execute(self, code, silent, store_history=True, user_expressions=None,
                         allow_stdin=False, *, cell_meta=None, cell_id=None):
        if not code.strip():
            return {"status": "ok", "execution_count": self.execution_count, "payload": [], "user_expressions": {}}
        return reply_content(self._run(code, silent), self.execution_count)

    def _show(self, messages: list[Message], silent: bool) -> None:
        if not silent:
            for message in messages:
                self.send_response(self.iopub_socket, message.type, message.content)

    def _run(self, code: str, silent: bool) -> dict[str, Any]:
        """Runs the cell and waits for its result, showing each output as soon as its statement
        has run (the bridge's partial results), progress in between, and turning interrupts into
        cancels. Blocks the shell thread on purpose: cells run one at a time, as in any kernel."""
        token = f"cell-{uuid.uuid4().hex}"
        partial_token = f"outputs-{next(self.cells)}"
        progress = CellProgress()
        outputs = CellOutputs(self.execution_count)
        params = {"code": code, "width": WIDTH, "progress_token": token, "partial_result_token": partial_token}
        result, from_bridge = self._execute(params, progress, outputs, silent)
        if refused_partial_results(result):
            # A `ballast` from before partial results refuses the field before running anything:
            # the cell runs again without it, its outputs shown when it ends.
            del params["partial_result_token"]
            result, from_bridge = self._execute(params, progress, outputs, silent)
        if any((output.get("error") or {}).get("code") == DAEMON_UNAVAILABLE for output in result.get("outputs") or []):
            # The bridge exits once its daemon has gone; the next cell must not reach it while it
            # does, but a new bridge, which finds or starts a daemon.
            self.bridge.restart()
        ending = {"ok": None, "cancelled": "cancelled"}.get(result.get("status"), "failed")
        self._show(progress.flush(ending), silent)
        # The reply repeats every output: those its partial results showed are not shown again.
        self._show(outputs.finish(result, indexed=from_bridge), silent)
        return result

    def _execute(self, params: dict[str, Any], progress: CellProgress, outputs: CellOutputs,
                 silent: bool) -> tuple[dict[str, Any], bool]:
        try:
            call = self.bridge.call("repl/execute", params, params["progress_token"], params.get("partial_result_token"))
        except BridgeUnavailable as error:
            return failure(DAEMON_UNAVAILABLE, str(error)), False
        return self._wait(call, progress, outputs, silent)

    def _wait(self, call: Call, progress: CellProgress, outputs: CellOutputs,
              silent: bool) -> tuple[dict[str, Any], bool]:
        """The cell's result, and whether it is the bridge's reply (else the kernel made it)."""
        interrupts_seen = self.interrupts_before
        give_up_at: float | None = None
        while True:
            if self.interrupts.count > interrupts_seen:
                # The first interrupt cancels the command; a second one makes the bridge stop waiting.
                interrupts_seen = self.interrupts.count
                self.bridge.cancel(call)
                give_up_at = give_up_at or time.monotonic() + CANCEL_PATIENCE
            event = call.next_event(POLL)
            if event is None:
                if give_up_at is not None and time.monotonic() > give_up_at:
                    self.bridge.restart()
                    return failure(CANCELLED, f"The cell was interrupted and ballast --stdio did not answer within "
                                              f"{CANCEL_PATIENCE:g} s, so the kernel restarted it (the daemon keeps its state)."), False
                continue
            kind, payload = event
            if kind == PROGRESS:
                self._show(outputs.later_command_started(payload.get("command")), silent)
                message = None if silent else progress.handle(payload)
                if message is not None:
                    self._show([message], silent)
            elif kind == PARTIAL:
                index, shown = payload.get("index"), payload.get("outputs")
                if isinstance(index, int) and isinstance(shown, list):
                    for offset, output in enumerate(shown):
                        if isinstance(output, dict):
                            self._show(outputs.add(output, index + offset), silent)
            elif kind == GONE:
                return failure(DAEMON_UNAVAILABLE, payload), False
            elif "error" in payload:
                error = payload["error"]
                return failure(error.get("code", DAEMON_UNAVAILABLE), error.get("message", ""), error.get("data")), False
            else:
                return payload["result"], True

    # Looking things up: the bridge answers these from its lookup session, its own daemon connection

    def _lookup(self, method: str, params: dict[str, Any]) -> dict[str, Any] | None:
        try:
            result = self.bridge.request(method, params, LOOKUP_TIMEOUT)
        except (BridgeUnavailable, BridgeError) as error:
            self.log.warning("%s failed: %s", method, error)
            return None
        return result if isinstance(result, dict) else None

    async def do_complete(self, code, cursor_pos):
        cursor = len(code) if cursor_pos is None else cursor_pos
        result = self._lookup("repl/complete", {"code": code, "cursor": cursor}) or {}
        return {
            "status": "ok",
            "matches": list(result.get("matches") or []),
            "cursor_start": result.get("cursor_start", cursor),
            "cursor_end": result.get("cursor_end", cursor),
            "metadata": {},
        }

    async def do_inspect(self, code, cursor_pos, detail_level=0, omit_sections=()):
        cursor = len(code) if cursor_pos is None else cursor_pos
        result = self._lookup("repl/inspect", {"code": code, "cursor": cursor, "detail_level": detail_level}) or {}
        found = bool(result.get("found")) and bool(result.get("text"))
        return {"status": "ok", "found": found, "data": {"text/plain": result["text"]} if found else {}, "metadata": {}}

    async def do_is_complete(self, code):
        result = self._lookup("repl/is_complete", {"code": code})
        if result is None or result.get("status") not in ("complete", "incomplete", "invalid"):
            return {"status": "unknown"}
        reply = {"status": result["status"]}
        if result["status"] == "incomplete":
            reply["indent"] = result.get("indent", "")
        return reply

    async def do_shutdown(self, restart):
        self.bridge.close()
        return {"status": "ok", "restart": restart}
