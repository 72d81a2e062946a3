#!/usr/bin/env python3
"""Round trip of `ping` through the Python client, beside a bare pyzmq echo measured in the same run.

    python3 clients/python/bench/ping_bench.py [--connection-file PATH] [--count 20000] [--warmup 2000]

Without --connection-file it starts its own daemon (`$BALLASTD`, else <repo>/.build/release/ballastd,
else <repo>/.build/debug/ballastd) on 127.0.0.1 with a temporary connection file, and stops it with
SIGTERM at the end. Times, after untimed warm-up, N round trips of each of:

- `client.call("ping")` on the request socket (initialized session);
- `client.control("ping")` on the control socket;
- the peer: a ROUTER on a thread of this process echoing `[identity, signature, payload]` back to a
  DEALER that sends a 64-byte signature frame and a ping-sized payload (no JSON, no HMAC);
- for reference, the same echo in a separate Python process (no GIL shared with the client).

The kinds take turns in blocks, the order rotating, so noise lands on all of them. Prints p50, p99
and mean in microseconds and p50 / echo p50, then one JSON line {"bench": "ping_python", ...}.
Talks to 127.0.0.1 only. Never judges the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import zmq

HERE = Path(__file__).resolve().parent
CLIENT_ROOT = HERE.parent
REPO = CLIENT_ROOT.parent.parent
sys.path.insert(0, str(CLIENT_ROOT))

from ballast_client import Client, ConnectionInfo  # noqa: E402

SIGNATURE_FRAME = b"a1" * 32  # the size of a hex HMAC-SHA256
SAMPLE_PAYLOAD = b'{"jsonrpc":"2.0","id":123456789012,"method":"ping"}'  # the size of a ping request
STOP = b"stop"


# -- the peer -------------------------------------------------------------------------------------

def echo_loop(router: zmq.Socket) -> None:
    while True:
        frames = router.recv_multipart()
        router.send_multipart(frames)
        if frames[-1] == STOP:
            return


class ThreadEcho:
    """A ROUTER on a thread of this process: echoes every message back to its sender."""

    def __init__(self) -> None:
        self.context = zmq.Context()
        self.router = self.context.socket(zmq.ROUTER)
        self.router.setsockopt(zmq.LINGER, 0)
        port = self.router.bind_to_random_port("tcp://127.0.0.1")
        self.endpoint = f"tcp://127.0.0.1:{port}"
        self.thread = threading.Thread(target=echo_loop, args=(self.router,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.thread.join(5)
        if not self.thread.is_alive():
            self.router.close()
            self.context.term()


class ProcessEcho:
    """The same echo in a child Python process (`ping_bench.py --echo-server`)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, __file__, "--echo-server"], stdout=subprocess.PIPE,
                                        text=True)
        self.endpoint = self.process.stdout.readline().strip()
        if not self.endpoint.startswith("tcp://127.0.0.1:"):
            self.process.kill()
            raise RuntimeError(f"the echo process said {self.endpoint!r}")

    def close(self) -> None:
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def echo_server() -> None:
    context = zmq.Context()
    router = context.socket(zmq.ROUTER)
    router.setsockopt(zmq.LINGER, 0)
    port = router.bind_to_random_port("tcp://127.0.0.1")
    print(f"tcp://127.0.0.1:{port}", flush=True)
    echo_loop(router)
    router.close()
    context.term()


# -- the daemon -----------------------------------------------------------------------------------

def find_daemon() -> Path:
    explicit = os.environ.get("BALLASTD")
    candidates = [Path(explicit)] if explicit else [REPO / ".build" / "release" / "ballastd",
                                                    REPO / ".build" / "debug" / "ballastd"]
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    sys.exit(f"ballastd not found ({', '.join(map(str, candidates))}): build it with "
             "`swift build -c release --product ballastd`, set BALLASTD, or pass --connection-file")


class Daemon:
    """A ballastd of our own, with a temporary connection file."""

    def __init__(self) -> None:
        self.binary = find_daemon()
        self.folder = tempfile.TemporaryDirectory(prefix="ballast-ping-bench-")
        self.connection_file = Path(self.folder.name) / "ballast" / "ballastd.json"
        self.log = open(Path(self.folder.name) / "ballastd.log", "wb")
        self.process = subprocess.Popen([str(self.binary), "--connection-file", str(self.connection_file),
                                         "--log-level", "warning", "--ephemeral"], stdin=subprocess.DEVNULL,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"ballastd exited with {self.process.returncode} at start-up")
            if self.connection_file.exists():
                try:
                    info = ConnectionInfo.load(self.connection_file)
                except Exception:  # noqa: BLE001 - written atomically; be patient anyway
                    info = None
                if info is not None and info.pid == self.process.pid:
                    self.info = info
                    return
            time.sleep(0.02)
        self.process.kill()
        sys.exit("ballastd wrote no connection file within 10 s")

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            status = None
        self.log.close()
        self.folder.cleanup()
        return status


# -- measuring ------------------------------------------------------------------------------------

def percentile(sorted_values: list[int], fraction: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def summary(samples: list[int]) -> dict:
    ordered = sorted(samples)
    return {"p50": percentile(ordered, 0.50) / 1000, "p99": percentile(ordered, 0.99) / 1000,
            "mean": statistics.fmean(ordered) / 1000}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connection-file", help="use a running daemon instead of starting one")
    parser.add_argument("--count", "-n", type=int, default=20_000, help="timed round trips of each kind")
    parser.add_argument("--warmup", type=int, default=2_000, help="untimed round trips of each kind first")
    parser.add_argument("--rounds", type=int, default=10, help="interleaved blocks")
    parser.add_argument("--echo-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.echo_server:
        echo_server()
        return 0

    daemon = None
    if args.connection_file:
        info = ConnectionInfo.load(args.connection_file)
        if info.ip not in ("127.0.0.1", "localhost", "::1"):
            sys.exit(f"benchmarks only talk to loopback; the connection file names {info.ip}")
    else:
        daemon = Daemon()
        info = daemon.info

    thread_echo, process_echo = ThreadEcho(), ProcessEcho()
    context = zmq.Context()
    dealers = {}
    for name, endpoint in (("echo", thread_echo.endpoint), ("process_echo", process_echo.endpoint)):
        dealer = context.socket(zmq.DEALER)
        dealer.setsockopt(zmq.LINGER, 0)
        dealer.connect(endpoint)
        dealers[name] = dealer

    client = Client(info)
    status = None
    samples: dict[str, list[int]] = {}
    try:
        client.initialize("ping_bench.py", "1")
        call, control = client.call, client.control
        clock = time.perf_counter_ns

        def time_request(n: int, out: list[int]) -> None:
            for _ in range(n):
                start = clock()
                call("ping")
                out.append(clock() - start)

        def time_control(n: int, out: list[int]) -> None:
            for _ in range(n):
                start = clock()
                control("ping")
                out.append(clock() - start)

        def echo_timer(dealer: zmq.Socket):
            send, recv = dealer.send_multipart, dealer.recv_multipart
            frames = [SIGNATURE_FRAME, SAMPLE_PAYLOAD]

            def time_echo(n: int, out: list[int]) -> None:
                for _ in range(n):
                    start = clock()
                    send(frames)
                    if len(recv()) != 2:
                        raise RuntimeError("bad echo reply")
                    out.append(clock() - start)
            return time_echo

        kinds = {"request": time_request, "control": time_control,
                 "echo": echo_timer(dealers["echo"]), "process_echo": echo_timer(dealers["process_echo"])}
        samples = {name: [] for name in kinds}
        for timer in kinds.values():
            timer(args.warmup, [])
        names = list(kinds)
        for round_index in range(args.rounds):
            block = args.count // args.rounds + (1 if round_index < args.count % args.rounds else 0)
            for turn in range(len(names)):
                name = names[(round_index + turn) % len(names)]
                kinds[name](block, samples[name])
    finally:
        client.close()
        for dealer in dealers.values():
            dealer.send_multipart([SIGNATURE_FRAME, STOP])
            dealer.poll(2000)
            dealer.close()
        context.term()
        thread_echo.close()
        process_echo.close()
        if daemon is not None:
            status = daemon.stop()

    results = {name: summary(values) for name, values in samples.items()}
    labels = {
        "request": 'ballast request socket (Client.call "ping")',
        "control": 'ballast control socket (Client.control "ping")',
        "echo": "bare pyzmq echo, thread in this process (the peer)",
        "process_echo": "bare pyzmq echo, own process",
    }
    echo_p50 = results["echo"]["p50"]
    width = max(map(len, labels.values()))
    print(f"Python ping round trip, {args.count} each after {args.warmup} warm-up, {args.rounds} interleaved "
          f"rounds; µs (Python {platform.python_version()}, pyzmq {zmq.__version__}, libzmq {zmq.zmq_version()})")
    print(f"{'':<{width}}{'p50':>9}{'p99':>9}{'mean':>9}{'p50/echo':>10}")
    for name in ("request", "control", "echo", "process_echo"):
        r = results[name]
        print(f"{labels[name]:<{width}}{r['p50']:>9.1f}{r['p99']:>9.1f}{r['mean']:>9.1f}"
              f"{r['p50'] / echo_p50:>10.2f}")
    if daemon is not None:
        print(f"ballastd ({daemon.binary}) stopped with SIGTERM, exit status {status}")

    line = {
        "bench": "ping_python",
        "n": args.count,
        "warmup": args.warmup,
        "request_p50_us": round(results["request"]["p50"], 1),
        "request_p99_us": round(results["request"]["p99"], 1),
        "control_p50_us": round(results["control"]["p50"], 1),
        "control_p99_us": round(results["control"]["p99"], 1),
        "echo_p50_us": round(echo_p50, 1),
        "echo_p99_us": round(results["echo"]["p99"], 1),
        "process_echo_p50_us": round(results["process_echo"]["p50"], 1),
        "process_echo_p99_us": round(results["process_echo"]["p99"], 1),
        "request_vs_echo_p50": round(results["request"]["p50"] / echo_p50, 3),
        "control_vs_echo_p50": round(results["control"]["p50"] / echo_p50, 3),
        "daemon_exit_status": -1 if daemon is None or status is None else status,
        "python": platform.python_version(),
        "pyzmq": zmq.__version__,
    }
    print(json.dumps(line, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
