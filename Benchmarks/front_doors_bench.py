#!/usr/bin/env python3
"""What the front doors cost over the raw protocol: `ballast --stdio`'s `repl/*` service and the
Jupyter kernel, each beside its peer measured in the same run.

One --ephemeral release daemon on loopback (its own connection file in a temporary folder); every
`ballast --stdio` runs with `--connection-file` that file and `--no-spawn`. Three parts:

a. Round trip through `ballast --stdio` (write one line, read the reply's line): a relayed `ping`
   (raw JSON-RPC, after the editor's `initialize`), `repl/execute {"code": "ping"}` (the command
   session: parse, the daemon's ping, text and HTML rendering), `repl/complete` of `train ca`
   (the lookup session; datasets cards, cards.train, … present) and `repl/is_complete` of a
   compare statement, each sent as soon as the previous reply is read (as a script or a fast
   typist does); then the relayed ping and the repl/execute ping again, each after 20 ms of quiet
   (untimed): the bridge's loop waits on standard input and on its sockets in turn, so a request
   that comes right after a reply waits for the loop to come round; the peer: the Python client's
   `ping` straight over ZeroMQ (`ballast_client.connect`). COUNT of each after COUNT/10 (at least
   50) untimed, in 5 blocks taking turns, the order rotating.
b. Rendering: `repl/execute` of `compare …` (two arms) and of `plot wce cards.test` beside the
   same methods relayed raw through the same bridge (`experiment/compare` with the params the
   REPL sends; `model/describe`, `run/events`, `model/evaluate curves=true` for plot, one after
   the other), and beside the same methods from the Python client straight over ZeroMQ; each after
   20 ms of quiet, REPS of each taking turns: median time and reply bytes (of the repl reply: text,
   HTML, SVG and the structured result). The difference is what the text, HTML and SVG cost (and,
   against the Python client, the bridge's own hop).
c. A Jupyter cell: `ping` in the Ballast kernel vs `pass` in ipykernel's python3 kernel, both
   through jupyter_client's KernelManager and BlockingKernelClient.execute(code, reply=True)
   (until the execute_reply arrives). The ballast kernelspec is installed into a temporary
   JUPYTER_PATH (`python -m ballast_kernel install --prefix TMP`), as clients/jupyter/tests do.
   Skipped, saying why, when jupyter_client or ipykernel is missing.

The data: `generate fraud rows=10000 positive_rate=0.02 seed=1 as cards; split cards test=0.3
val=0.2 seed=1`, and `train cards.train val=cards.validation weights=inverse as wce`.

Usage: BALLASTD=.build/release/ballastd BALLAST=.build/release/ballast \
           python3 Benchmarks/front_doors_bench.py [--count 500] [--reps 20] [--cells 200]
Prints medians and ratios to the peer; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PYTHON_CLIENT = ROOT / "clients" / "python"
JUPYTER_CLIENT = ROOT / "clients" / "jupyter"
sys.path.insert(0, str(PYTHON_CLIENT))

import load_bench  # noqa: E402  (the --ephemeral daemon helper is shared with the other benchmarks)

SETUP = ["generate fraud rows=10000 positive_rate=0.02 seed=1 as cards; split cards test=0.3 val=0.2 seed=1",
         "train cards.train val=cards.validation weights=inverse as wce"]
COMPARE = "compare cards.train test=cards.test val=cards.validation arms=ce,wce_inverse"
COMPARE_PARAMS = {"train": "cards.train", "test": "cards.test", "validation": "cards.validation",
                  "arms": ["ce", "wce_inverse"]}
PLOT = "plot wce cards.test"
HANG = 120.0  # seconds: a bound that only catches a hang
PAUSE = 0.02  # seconds of quiet (untimed) before a request of the "after a pause" kinds


class Bridge:
    """One `ballast --stdio`, spoken to one request at a time."""

    def __init__(self, ballast: str, connection_file: Path):
        self.process = subprocess.Popen([ballast, "--stdio", "--connection-file", str(connection_file), "--no-spawn"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.next_id = 0

    def call(self, method: str, params: dict | None = None) -> tuple[dict, float, int]:
        """The reply, the seconds from writing the request to holding the reply's line, its bytes.
        Notifications in between are skipped; the reply's JSON is parsed after the clock stops."""
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        line = (json.dumps(message, separators=(",", ":")) + "\n").encode()
        stdin, stdout = self.process.stdin, self.process.stdout
        assert stdin is not None and stdout is not None
        started = time.perf_counter()
        stdin.write(line)
        stdin.flush()
        while True:
            reply = stdout.readline()
            if not reply:
                raise RuntimeError(f"ballast --stdio ended: {self.process.stderr.read().decode(errors='replace')[-2000:]}")
            if reply.startswith(b'{"id":'):  # replies lead with their id; notifications with "jsonrpc"
                break
        seconds = time.perf_counter() - started
        parsed = json.loads(reply)
        if parsed.get("id") != self.next_id:
            raise RuntimeError(f"reply to another request: {reply[:200]!r}")
        if "error" in parsed:
            raise RuntimeError(f"{method} failed: {parsed['error']}")
        return parsed, seconds, len(reply)

    def execute(self, code: str) -> tuple[dict, float, int]:
        reply, seconds, size = self.call("repl/execute", {"code": code})
        if reply["result"]["status"] != "ok":
            raise RuntimeError(f"repl/execute {code!r}: {reply['result']['outputs'][-1]['text']}")
        return reply, seconds, size

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def take_turns(kinds: dict[str, Callable[[], Any]], count: int, blocks: int) -> dict[str, list[float]]:
    """Seconds of `count` calls of each kind, in `blocks` blocks whose order rotates."""
    times: dict[str, list[float]] = {name: [] for name in kinds}
    order = list(kinds)
    per_block = max(1, count // blocks)
    for block in range(blocks):
        for name in order[block % len(order):] + order[:block % len(order)]:
            run = kinds[name]
            for _ in range(per_block):
                times[name].append(run())
    return times


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def print_rows(title: str, times: dict[str, list[float]], peer: str, extra: dict[str, str] | None = None) -> dict:
    """A table of median and p99 in µs (or ms), each median over the peer's; returns the medians."""
    medians = {name: statistics.median(values) for name, values in times.items()}
    slow = max(medians.values()) > 0.05
    unit, scale = ("ms", 1e3) if slow else ("µs", 1e6)
    print(f"\n{title}")
    print(f"  {'':58}{'n':>5}{'median ' + unit:>13}{'p99 ' + unit:>12}{'/ peer':>9}  {'' if extra is None else 'reply'}")
    for name, values in times.items():
        note = (extra or {}).get(name, "")
        print(f"  {name:58}{len(values):>5}{medians[name] * scale:>13.1f}{quantile(values, 0.99) * scale:>12.1f}"
              f"{medians[name] / medians[peer]:>8.2f}x  {note}")
    return medians


# -- a. round trips --------------------------------------------------------------------------------

def round_trips(bridge: Bridge, client, count: int, warmup: int) -> dict:
    def timed(method: str, params: dict | None = None, pause: float = 0.0) -> Callable[[], float]:
        def once() -> float:
            time.sleep(pause)
            return bridge.call(method, params)[1]
        return once

    def python_ping() -> float:
        started = time.perf_counter()
        client.call("ping")
        return time.perf_counter() - started

    kinds = {
        "relayed ping (raw JSON-RPC through the bridge)": timed("ping"),
        'repl/execute {"code": "ping"}': timed("repl/execute", {"code": "ping"}),
        "repl/complete of `train ca`": timed("repl/complete", {"code": "train ca", "cursor": 8}),
        "repl/is_complete of a compare statement": timed("repl/is_complete", {"code": COMPARE}),
        "relayed ping, each after a 20 ms pause": timed("ping", None, PAUSE),
        'repl/execute {"code": "ping"}, each after a 20 ms pause': timed("repl/execute", {"code": "ping"}, PAUSE),
        "peer: Python client ping over ZeroMQ": python_ping,
    }
    matches = bridge.call("repl/complete", {"code": "train ca", "cursor": 8})[0]["result"]["matches"]
    status = bridge.call("repl/is_complete", {"code": COMPARE})[0]["result"]["status"]
    print(f"repl/complete of `train ca` offers {matches}; repl/is_complete of `{COMPARE}`: {status}")
    take_turns(kinds, warmup, 1)
    times = take_turns(kinds, count, 5)
    medians = print_rows(f"a. Round trip, {count} of each after {warmup} untimed, taking turns in 5 blocks",
                         times, "peer: Python client ping over ZeroMQ")
    return {name: round(value * 1e6, 1) for name, value in medians.items()}


# -- b. rendering ----------------------------------------------------------------------------------

def output_bytes(reply: dict) -> str:
    """Where the bytes of a repl/execute reply are: text, HTML, SVG, the structured result (as JSON)."""
    parts = {"text": 0, "html": 0, "svg": 0, "result": 0}
    for output in reply["result"]["outputs"]:
        parts["text"] += len(output["text"].encode())
        parts["html"] += len((output["html"] or "").encode())
        parts["svg"] += sum(len(chart["svg"].encode()) for chart in output["charts"])
        parts["result"] += len(json.dumps(output["result"], separators=(",", ":")).encode())
    return ", ".join(f"{name} {size / 1000:.1f}" for name, size in parts.items()) + " kB"


def rendering(bridge: Bridge, client, reps: int) -> dict:
    run = bridge.call("model/describe", {"model": "wce"})[0]["result"]["model"]["run"]
    repl_compare, raw_compare_name = f"repl/execute `{COMPARE.split(' test=')[0]} …`", "relayed experiment/compare"
    repl_plot, raw_plot_name = f"repl/execute `{PLOT}`", "relayed model/describe + run/events + model/evaluate"
    direct_compare, direct_plot = "Python client experiment/compare over ZeroMQ", "Python client, the same three methods"
    sizes: dict[str, int] = {}
    breakdown: dict[str, str] = {}

    def repl(name: str, code: str) -> Callable[[], float]:
        def once() -> float:
            time.sleep(PAUSE)
            reply, seconds, size = bridge.execute(code)
            sizes[name] = size
            breakdown[name] = output_bytes(reply)
            return seconds
        return once

    def raw_compare() -> float:
        time.sleep(PAUSE)
        _, seconds, size = bridge.call("experiment/compare", COMPARE_PARAMS)
        sizes[raw_compare_name] = size
        return seconds

    def raw_plot() -> float:
        # What `plot` asks the daemon for, in the same order: the model, its run's records (every
        # page), the evaluation with its curves; one after the other, as an editor would send them.
        time.sleep(PAUSE)
        _, total, size = bridge.call("model/describe", {"model": "wce"})
        since: Any = 0
        while since is not None:
            reply, seconds, bytes_ = bridge.call("run/events", {"run": run, "since_seq": since})
            total, size = total + seconds, size + bytes_
            since = reply["result"].get("next_since_seq")
        _, seconds, bytes_ = bridge.call("model/evaluate", {"model": "wce", "dataset": "cards.test", "curves": True})
        sizes[raw_plot_name] = size + bytes_
        return total + seconds

    def direct(calls: Callable[[], None]) -> Callable[[], float]:
        def once() -> float:
            time.sleep(PAUSE)
            started = time.perf_counter()
            calls()
            return time.perf_counter() - started
        return once

    def plot_methods() -> None:
        client.call("model/describe", {"model": "wce"})
        since: Any = 0
        while since is not None:
            since = client.call("run/events", {"run": run, "since_seq": since}).get("next_since_seq")
        client.call("model/evaluate", {"model": "wce", "dataset": "cards.test", "curves": True})

    kinds = {repl_compare: repl(repl_compare, COMPARE), raw_compare_name: raw_compare,
             direct_compare: direct(lambda: client.call("experiment/compare", COMPARE_PARAMS)),
             repl_plot: repl(repl_plot, PLOT), raw_plot_name: raw_plot, direct_plot: direct(plot_methods)}
    take_turns(kinds, 1, 1)
    times = take_turns(kinds, reps, reps)
    kb = {name: f"{sizes[name] / 1000:.1f} kB" + (f" ({breakdown[name]})" if name in breakdown else "") for name in sizes}
    medians = print_rows(f"b. Rendering, {reps} of each taking turns, each after a 20 ms pause: "
                         "compare (2 arms, 7,000 training rows)",
                         {name: times[name] for name in (repl_compare, raw_compare_name, direct_compare)}, raw_compare_name, kb)
    medians.update(print_rows("   and plot (loss and validation F1 by step; PR and ROC curves on 3,000 test rows)",
                              {name: times[name] for name in (repl_plot, raw_plot_name, direct_plot)}, raw_plot_name, kb))
    for repl_name, raw_name, direct_name in ((repl_compare, raw_compare_name, direct_compare),
                                             (repl_plot, raw_plot_name, direct_plot)):
        print(f"  {repl_name}: {1e3 * (medians[repl_name] - medians[raw_name]):+.1f} ms over the relayed methods, "
              f"{1e3 * (medians[repl_name] - medians[direct_name]):+.1f} ms over the Python client's; "
              f"{sizes[repl_name] / sizes[raw_name]:.2f}x the relayed reply bytes")
    return {"median_ms": {name: round(value * 1e3, 2) for name, value in medians.items()},
            "reply_bytes": dict(sizes)}


# -- c. Jupyter cells ------------------------------------------------------------------------------

def jupyter_cells(ballast: str, connection_file: Path, cells: int, warmup: int) -> dict | None:
    try:
        import ipykernel  # noqa: F401
        from jupyter_client.manager import KernelManager
    except ImportError as missing:
        print(f"\nc. Jupyter cells: skipped: {missing.name} is not installed "
              f"(pip install -r clients/jupyter/requirements-test.txt, or ipykernel and jupyter_client)")
        return None
    root = Path(tempfile.mkdtemp(prefix="ballast-front-doors-jupyter-"))
    saved = dict(os.environ)
    os.environ.update({
        "BALLAST": ballast,
        "BALLAST_CONNECTION_FILE": str(connection_file),
        "JUPYTER_PATH": str(root / "share" / "jupyter"),
        "JUPYTER_DATA_DIR": str(root / "data"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(JUPYTER_CLIENT), saved.get("PYTHONPATH")])),
    })
    kernels: dict[str, tuple[Any, Any]] = {}
    logs: list[Any] = []
    try:
        installed = subprocess.run([sys.executable, "-m", "ballast_kernel", "install", "--prefix", str(root)],
                                   capture_output=True, text=True, timeout=60)
        if installed.returncode != 0:
            print(f"\nc. Jupyter cells: skipped: the ballast kernelspec did not install: {installed.stderr.strip()}")
            return None
        for name in ("ballast", "python3"):
            manager = KernelManager(kernel_name=name)
            # Each kernel's own output (ipykernel's warnings, a failing kernel's reason) to a log,
            # shown when the kernel does not get ready.
            log = open(root / f"{name}.log", "wb")
            logs.append(log)
            manager.start_kernel(env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT)
            client = manager.client()
            client.start_channels()
            kernels[name] = (manager, client)
            try:
                client.wait_for_ready(timeout=HANG)
            except RuntimeError:
                print((root / f"{name}.log").read_text(errors="replace")[-3000:], file=sys.stderr)
                raise

        def cell(name: str, code: str) -> Callable[[], float]:
            client = kernels[name][1]

            def once() -> float:
                started = time.perf_counter()
                reply = client.execute(code, reply=True, timeout=HANG)
                seconds = time.perf_counter() - started
                if reply["content"]["status"] != "ok":
                    raise RuntimeError(f"{name} cell {code!r}: {reply['content']}")
                while client.iopub_channel.msg_ready():  # keep the unread outputs from piling up
                    client.get_iopub_msg(timeout=0)
                return seconds
            return once

        kinds = {"Ballast kernel, cell `ping`": cell("ballast", "ping"),
                 "peer: ipykernel python3, cell `pass`": cell("python3", "pass")}
        take_turns(kinds, warmup, 1)
        times = take_turns(kinds, cells, 5)
        medians = print_rows(f"c. A Jupyter cell, execute(code, reply=True), {cells} of each after {warmup} untimed",
                             times, "peer: ipykernel python3, cell `pass`")
        return {name: round(value * 1e6, 1) for name, value in medians.items()}
    finally:
        for manager, client in kernels.values():
            client.stop_channels()
            manager.shutdown_kernel(now=False)
        for log in logs:
            log.close()
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500, help="round trips of each kind in part a")
    parser.add_argument("--reps", type=int, default=20, help="compares and plots of each kind in part b")
    parser.add_argument("--cells", type=int, default=200, help="cells of each kernel in part c")
    arguments = parser.parse_args()
    bin_folder = ROOT / ".build" / "release"
    ballastd = os.environ.get("BALLASTD", str(bin_folder / "ballastd"))
    ballast = os.environ.get("BALLAST", str(Path(ballastd).with_name("ballast")))
    if not os.access(ballast, os.X_OK):
        print(f"{ballast} is missing: build it with 'make release' (or set $BALLAST)", file=sys.stderr)
        return 2

    from ballast_client import connect

    started = time.perf_counter()
    daemon = load_bench.Daemon(ballastd)
    bridge = Bridge(ballast, daemon.connection_file)
    client = None
    figures: dict[str, Any] = {"bench": "front_doors"}
    try:
        client = connect(daemon.connection_file, start=False, name="front-doors-bench")
        bridge.call("initialize", {"client": {"name": "front-doors-bench"}})
        for code in SETUP:
            bridge.execute(code)
        figures["round_trip_us"] = round_trips(bridge, client, arguments.count, max(50, arguments.count // 10))
        figures["rendering"] = rendering(bridge, client, arguments.reps)
        figures["jupyter_cell_us"] = jupyter_cells(ballast, daemon.connection_file, arguments.cells,
                                                   max(20, arguments.cells // 10))
    finally:
        if client is not None:
            client.close()
        bridge.close()
        daemon.stop()
    print(f"\nfront_doors_bench finished in {time.perf_counter() - started:.0f} s")
    print(json.dumps(figures, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
