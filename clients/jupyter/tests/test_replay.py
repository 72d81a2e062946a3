"""protocol/examples/repl.json replayed through a real `ballast --stdio` on a private daemon: each
`send` is written as one line, the reply with the same id is compared under the rules of section 9
(notifications in between, such as `$/progress`, are skipped)."""

from __future__ import annotations

import json
import queue
import subprocess
import threading

from matching import mismatches  # protocol/examples/matching.py, put on sys.path by helpers
from helpers import HANG, REPO

EXAMPLE = REPO / "protocol" / "examples" / "repl.json"


class StdioBridge:
    """`ballast --stdio` as a child, its output lines in a queue."""

    def __init__(self, ballast: str, env: dict[str, str], cwd):
        self.process = subprocess.Popen([ballast, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, env=env, cwd=cwd, text=True)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send(self, message: dict) -> None:
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def reply_to(self, request_id) -> dict:
        while True:
            line = self.lines.get(timeout=HANG)
            assert line is not None, f"ballast --stdio ended before answering {request_id!r}: {self.process.stderr.read()}"
            message = json.loads(line)
            if "method" not in message and message.get("id") == request_id:
                return message

    def close(self) -> int:
        self.process.stdin.close()
        return self.process.wait(timeout=HANG)


def test_the_repl_examples_replay_through_the_bridge(daemon, tmp_path):
    conversation = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert conversation.get("transport") == "stdio"
    assert conversation["exchanges"], "the example has no exchanges"
    bridge = StdioBridge(daemon.env["BALLAST"], daemon.env, tmp_path)
    try:
        for number, exchange in enumerate(conversation["exchanges"], 1):
            bridge.send(exchange["send"])
            if "expect" in exchange:
                reply = bridge.reply_to(exchange["send"]["id"])
                problems = mismatches(exchange["expect"], reply)
                assert not problems, f"exchange {number} ({exchange['send'].get('method')}):\n" + "\n".join(problems)
    finally:
        status = bridge.close()
    assert status == 0


def test_the_matcher_follows_section_9():
    assert not mismatches({"a": "$integer", "b": 9}, {"a": 3, "b": 9.000000000000002})
    assert mismatches({"a": "$integer"}, {"a": 1.5})
    assert mismatches({"a": 1}, {"a": 1, "b": 2})
    assert mismatches("$/progress", "anything")
    assert not mismatches("$/progress", "$/progress")
    assert mismatches(True, 1)
    assert mismatches(["$any"], [])
