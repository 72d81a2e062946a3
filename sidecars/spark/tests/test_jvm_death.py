"""A sidecar whose JVM died between two fits answers the next fit with a `spark` error and exits 1
(the daemon then starts a fresh one), instead of hanging with the fit forever "running"."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from conftest import START_BOUND, Sidecar, fit_request

HANG_BOUND = 120.0   # only catches a hang


def descendants(pid: int) -> list[int]:
    """Every process below `pid`, from /proc (pyspark starts the JVM through spark-submit's script)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def java_child(pid: int) -> int:
    for child in descendants(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if command and os.path.basename(command[0]) == b"java":
            return child
    raise AssertionError(f"no java process among the sidecar's ({pid}) descendants")


def test_a_fit_after_the_jvm_died_is_answered_and_the_sidecar_exits(tmp_path, binary_data):
    side = Sidecar(["--conf", "spark.ui.enabled=false", "--conf", "spark.driver.extraJavaOptions=-XX:TieredStopAtLevel=1",
                    "--app-name", "ballast-tests-jvm-death"], tmp_path / "stderr.txt")
    try:
        ready = side.next_event(START_BOUND)
        assert ready["event"] == "ready", (ready, side.stderr_tail())
        first, _ = side.fit(**fit_request(binary_data))
        assert first["event"] == "result", first

        java = java_child(side.process.pid)
        os.kill(java, signal.SIGKILL)

        request_id = side.start_fit(**fit_request(binary_data))
        answer, before = side.wait_for(lambda e: e.get("id") == request_id and e["event"] in ("result", "error"),
                                       bound=HANG_BOUND)
        assert (answer["event"], answer["kind"]) == ("error", "spark"), answer
        assert "\n" not in answer["message"] and "Traceback" not in answer["message"], answer
        assert side.process.wait(timeout=HANG_BOUND) == 1, side.stderr_tail()
        assert side.not_json == [], side.not_json[:5]
    finally:
        if side.process.poll() is None:
            side.process.kill()
        side.close()
