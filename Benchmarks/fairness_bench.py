#!/usr/bin/env python3
"""Fairness: how long a small training waits while two long trainings hold the workers.

Two daemons are measured in the same run, taking turns: BEFORE (a ballastd without fair
scheduling, e.g. main's release build) and AFTER (this tree's). Each is started with --workers 2
and given the fraud-shaped preset (20,000 rows, split 50/20/30, so 10,000 training rows). Two
endless trainings (mlp [16], Adam, 100,000 epochs) are sent first and left running; then the
small training, a 10,000-row logistic regression (L-BFGS, defaults), is sent one at a time, and
the time from sending it to its reply is recorded (a client round trip). A small training that
does not answer within --timeout seconds is counted as timed out, and no more are sent to that
daemon (they would queue behind it). Then the daemon is stopped with SIGTERM.

Prints p50, p90, p99 and max of each side (or how many timed out), and one JSON line per side.
Asserts nothing about time.

Usage: python3 Benchmarks/fairness_bench.py --before OLD/ballastd --after .build/release/ballastd
       [--samples 40] [--rounds 2] [--timeout 30]
"""

from __future__ import annotations

import argparse
import json
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from load_bench import RawClient  # noqa: E402  (signed JSON-RPC on a DEALER, pyzmq only)

LONG = {"model": {"type": "mlp", "hidden": [16]}, "optimizer": {"type": "adam", "epochs": 100000}}


class Daemon:
    def __init__(self, executable: str, workers: int):
        self.folder = Path(tempfile.mkdtemp(prefix="ballast-fair-bench-"))
        self.connection_file = self.folder / "ballastd.json"
        self.log = open(self.folder / "ballastd.log", "wb")
        self.process = subprocess.Popen(
            [executable, "--connection-file", str(self.connection_file), "--workers", str(workers),
             "--log-level", "error", "--ephemeral"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while True:
            try:
                info = json.loads(self.connection_file.read_text())
                if info.get("pid"):
                    self.info = info
                    break
            except (OSError, ValueError):
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"ballastd wrote no connection file; log: {self.folder / 'ballastd.log'}")
            time.sleep(0.02)

    def client(self, name: str) -> RawClient:
        client = RawClient(self.info)
        client.call("initialize", {"client": {"name": name}, "protocol_version": self.info.get("protocol_version", "1.0")})
        return client

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        for leftover in self.folder.iterdir():
            leftover.unlink()
        self.folder.rmdir()


def send_without_waiting(client: RawClient, method: str, params: dict) -> None:
    """Sends a request and leaves its reply unread (RawClient skips replies to other ids)."""
    import hashlib
    import hmac

    client.next_id += 1
    payload = json.dumps({"jsonrpc": "2.0", "id": client.next_id, "method": method, "params": params},
                         separators=(",", ":")).encode("utf-8")
    client.socket.send_multipart([hmac.new(client.key, payload, hashlib.sha256).hexdigest().encode("ascii"), payload])


def measure(executable: str, samples: int, timeout: float) -> tuple[list[float], int]:
    """Latencies of small trainings beside two endless ones, and how many timed out."""
    daemon = Daemon(executable, workers=2)
    try:
        client = daemon.client("fairness-bench")
        client.call("dataset/generate", {"preset": "fraud", "name": "cards", "rows": 20_000, "seed": 1})
        client.call("dataset/split", {"dataset": "cards", "test": 0.3, "validation": 0.2, "seed": 0})
        long_client = daemon.client("fairness-bench-long")
        for name in ("long-a", "long-b"):
            send_without_waiting(long_client, "model/train", {"dataset": "cards.train", "name": name, **LONG})
        time.sleep(1.0)  # both are under way and hold the two workers
        latencies: list[float] = []
        for index in range(samples):
            started = time.perf_counter()
            try:
                client.call("model/train", {"dataset": "cards.train", "name": f"small-{index}"}, timeout=timeout)
            except TimeoutError:
                return latencies, 1
            latencies.append(time.perf_counter() - started)
        return latencies, 0
    finally:
        daemon.stop()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", required=True, help="a ballastd without fair scheduling")
    parser.add_argument("--after", required=True, help="a ballastd with it")
    parser.add_argument("--samples", type=int, default=40, help="small trainings per round")
    parser.add_argument("--rounds", type=int, default=2, help="turns each daemon takes")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds a small training may take")
    args = parser.parse_args()

    results = {"before": ([], 0), "after": ([], 0)}
    for round_index in range(args.rounds):
        order = ["before", "after"] if round_index % 2 == 0 else ["after", "before"]
        for side in order:
            latencies, timed_out = measure(getattr(args, side), args.samples, args.timeout)
            results[side] = (results[side][0] + latencies, results[side][1] + timed_out)
            print(f"round {round_index + 1}, {side}: {len(latencies)} answered, {timed_out} timed out", flush=True)

    print()
    print(f"small training (10,000-row logistic, L-BFGS) beside two endless mlp trainings, --workers 2")
    print(f"{'':8} {'answered':>8} {'timed out':>9} {'p50 s':>8} {'p90 s':>8} {'p99 s':>8} {'max s':>8}")
    for side, (latencies, timed_out) in results.items():
        if latencies:
            figures = [percentile(latencies, q) for q in (0.5, 0.9, 0.99)] + [max(latencies)]
            cells = " ".join(f"{value:8.3f}" for value in figures)
        else:
            cells = " ".join(f"{'—':>8}" for _ in range(4))
        print(f"{side:8} {len(latencies):8d} {timed_out:9d} {cells}")
        print(json.dumps({"bench": "fairness", "side": side, "answered": len(latencies), "timed_out": timed_out,
                          "timeout_s": args.timeout,
                          "p50_s": percentile(latencies, 0.5) if latencies else None,
                          "p99_s": percentile(latencies, 0.99) if latencies else None,
                          "median_s": statistics.median(latencies) if latencies else None}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
