"""A daemon that goes away under a waiting `ballast`: stopped from another shell, killed with
SIGKILL mid-training, or stuck. Every front door notices within seconds, says so, and the next
command starts a fresh daemon; `stop` returns only once the daemon is gone; exit statuses are
README's."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pexpect

from test_repl import PROMPT, leave, spawn
from test_stdio import bridge, receive, send

LONG_TRAINING = "train cards model=mlp epochs=100000 as forever"


def daemon_pid(env) -> int:
    return json.loads(Path(env.vars["BALLAST_CONNECTION_FILE"]).read_text())["pid"]


def is_gone(pid: int) -> bool:
    """No such process, or a zombie nobody has reaped yet (it will never serve again)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat[stat.rfind(")") + 1:].split()[0] in ("Z", "X")


def test_stop_returns_only_once_the_daemon_has_exited_and_removed_its_file(env):
    assert env.run("-c", "ping").returncode == 0
    pid = daemon_pid(env)
    done = env.run("stop")
    assert done.returncode == 0, done.stderr
    # No waiting here: `stop` itself waited.
    assert not Path(env.vars["BALLAST_CONNECTION_FILE"]).exists()
    assert is_gone(pid)
    # The next command finds no daemon rather than the dying one.
    assert env.run("--no-spawn", "-c", "ping").returncode == 3


def test_the_repl_notices_a_daemon_stopped_from_another_shell(env):
    child = spawn(env)
    child.sendline("ping")
    child.expect("pong")
    child.expect_exact(PROMPT)
    old = daemon_pid(env)
    assert env.run("stop").returncode == 0
    child.sendline("datasets")
    child.expect(rf"daemon \(pid {old}\) has stopped while 'dataset/list' waited", timeout=30)
    child.expect("The next command starts a fresh daemon")
    child.expect_exact(PROMPT)
    child.sendline("ping")
    child.expect("pong", timeout=30)
    child.expect_exact(PROMPT)
    assert daemon_pid(env) != old
    assert leave(child) == 0


def test_the_repl_recovers_from_a_daemon_killed_mid_training(env):
    child = spawn(env)
    child.sendline("generate fraud rows=60000 as cards")
    child.expect_exact(PROMPT)
    child.sendline(LONG_TRAINING)
    child.expect(r"step \d+ of 100000", timeout=60)
    old = daemon_pid(env)
    os.kill(old, signal.SIGKILL)
    child.expect(rf"daemon \(pid {old}\) has stopped while 'model/train' waited", timeout=30)
    child.expect_exact(PROMPT)
    # The killed daemon's connection file is stale; the next command starts a fresh daemon, which
    # brings back the dataset the killed one had acknowledged (it was kept in the state directory).
    child.sendline("datasets")
    child.expect(r"cards\s+60[,.]?000", timeout=30)
    child.expect_exact(PROMPT)
    assert daemon_pid(env) != old
    assert leave(child) == 0


def test_a_second_ctrl_c_stops_waiting_for_a_stuck_daemon(env):
    child = spawn(env)
    child.sendline("generate fraud rows=60000 as cards")
    child.expect_exact(PROMPT)
    child.sendline(LONG_TRAINING)
    child.expect(r"step \d+ of 100000", timeout=60)
    pid = daemon_pid(env)
    os.kill(pid, signal.SIGSTOP)
    try:
        child.sendintr()
        # Signals do not queue: the second Ctrl-C counts once the first has been taken.
        child.expect("press Ctrl-C again to stop waiting")
        child.sendintr()
        child.expect("Stopped waiting for 'model/train'", timeout=30)
        child.expect_exact(PROMPT)
    finally:
        os.kill(pid, signal.SIGCONT)
    child.sendline("exit")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_a_script_exits_3_when_its_daemon_is_killed(env):
    assert env.run("-c", "generate fraud rows=60000 as cards").returncode == 0
    pid = daemon_pid(env)
    script = subprocess.Popen([env.ballast, "-c", LONG_TRAINING], env=env.vars, cwd=env.folder,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not in_flight(env, pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    out, err = script.communicate(timeout=60)
    assert script.returncode == 3, err
    assert f"The daemon (pid {pid}) has stopped while 'model/train' waited" in err


def in_flight(env, pid: int) -> list:
    done = env.run("call", "status", "--control", "--no-spawn")
    if done.returncode != 0:
        return []
    status = json.loads(done.stdout)
    assert status["pid"] == pid
    return status["in_flight"]


def test_timeout_cancels_the_request_and_exits_4(env):
    assert env.run("-c", "generate fraud rows=60000 as cards").returncode == 0
    pid = daemon_pid(env)
    done = env.run("--timeout", "2", "-c", LONG_TRAINING)
    assert done.returncode == 4, done.stderr
    assert "within 2 s; the request was cancelled" in done.stderr
    # The training was cancelled, not orphaned (bounded only to catch a hang).
    deadline = time.monotonic() + 60
    while in_flight(env, pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert in_flight(env, pid) == []


def test_ctrl_c_in_call_cancels_the_request_and_exits_130(env):
    assert env.run("-c", "generate fraud rows=60000 as cards").returncode == 0
    pid = daemon_pid(env)
    params = {"dataset": "cards", "name": "forever", "model": {"type": "mlp"},
              "optimizer": {"type": "adam", "epochs": 100000}}
    call = subprocess.Popen([env.ballast, "call", "model/train", json.dumps(params)], env=env.vars, cwd=env.folder,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not in_flight(env, pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    call.send_signal(signal.SIGINT)
    out, err = call.communicate(timeout=60)
    assert call.returncode == 130, err
    assert "cancelled" in err
    deadline = time.monotonic() + 60
    while in_flight(env, pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert in_flight(env, pid) == [], "the training was cancelled, not left running for nobody"


def test_usage_errors_exit_2_and_version_is_printed(env):
    assert env.run("--no-such-flag").returncode == 2
    assert env.run("call").returncode == 2
    assert env.run("run", "--timeout", "soon", "x.bal").returncode == 2
    done = env.run("--version")
    assert done.returncode == 0
    assert done.stdout.startswith("ballast ") and "protocol 1." in done.stdout


def test_the_stdio_bridge_answers_waiting_requests_when_the_daemon_dies(env):
    process = bridge(env)
    send(process, {"jsonrpc": "2.0", "id": 1, "method": "initialize"})
    assert "result" in receive(process)
    send(process, {"jsonrpc": "2.0", "id": 2, "method": "dataset/generate",
                   "params": {"preset": "fraud", "rows": 60000, "name": "cards"}})
    assert "result" in receive(process)
    pid = daemon_pid(env)
    send(process, {"jsonrpc": "2.0", "id": "long", "method": "model/train",
                   "params": {"dataset": "cards", "name": "forever", "model": {"type": "mlp"},
                              "optimizer": {"type": "adam", "epochs": 100000}}})
    deadline = time.monotonic() + 60
    while not in_flight(env, pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)
    # A bound that only catches a hang: a bridge that never answers is ended, and `receive` fails.
    watchdog = threading.Timer(60, process.kill)
    watchdog.start()
    try:
        reply = receive(process)
    finally:
        watchdog.cancel()
    assert reply["id"] == "long"
    assert reply["error"]["code"] == -32013
    assert f"The daemon (pid {pid}) has stopped" in reply["error"]["message"]
    assert reply["error"]["data"]["daemon"] == "exited" and reply["error"]["data"]["pid"] == pid
    assert process.wait(timeout=30) == 3


def test_a_stuck_daemon_is_reported_not_replaced(env):
    assert env.run("-c", "ping").returncode == 0
    pid = daemon_pid(env)
    connection = Path(env.vars["BALLAST_CONNECTION_FILE"])
    before = connection.read_bytes()
    os.kill(pid, signal.SIGSTOP)
    try:
        # Let every thread stop (a group stop is not instant) before asking.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not all(
                Path(f"/proc/{pid}/task/{task}/stat").read_text().rsplit(")", 1)[1].split()[0] in ("T", "t")
                for task in os.listdir(f"/proc/{pid}/task")):
            time.sleep(0.01)
        done = env.run("-c", "datasets", timeout=60)
    finally:
        os.kill(pid, signal.SIGCONT)
    assert done.returncode == 3, done.stderr
    assert f"(pid {pid})" in done.stderr and "not answering" in done.stderr, done.stderr
    assert f"'ballast stop' or 'kill {pid}'" in done.stderr
    assert connection.read_bytes() == before, "the live daemon's file is left alone"
    assert env.run("--no-spawn", "-c", "ping").returncode == 0, "resumed, it serves again"


def test_timeouts_that_are_no_time_are_usage_errors(env):
    for value in ("nan", "inf", "-1", "0"):
        flag = f"--timeout={value}"
        for args in (["-c", "ping", flag], ["stop", flag], ["call", "ping", flag], ["status", flag]):
            done = env.run(*args, timeout=60)
            assert done.returncode == 2, (args, done.stderr)
            assert "--timeout must be a finite number of seconds above 0" in done.stderr, done.stderr
