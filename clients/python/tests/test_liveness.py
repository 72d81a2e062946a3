"""A client never waits for ever on a daemon that has gone, and never leaves work running for
nobody: a wait ends within seconds when the daemon is killed, replaced or stuck; a timeout or a
KeyboardInterrupt cancels the request unless ``detach``; ``connect`` starts a fresh daemon after
a kill -9."""

from __future__ import annotations

import inspect
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from ballast_client import Client, ConnectionInfo, DaemonGone, RPCTimeout, connect
from ballast_client.liveness import process_is_gone
from conftest import daemon_binary
from helpers import HERE

LONG_TRAINING = {"dataset": "cards", "name": "forever", "model": {"type": "mlp"},
                 "optimizer": {"type": "adam", "epochs": 100000}}


@pytest.fixture
def trainer(daemon):
    """An initialized client of a daemon holding a 60,000-row dataset, ready for a long training."""
    with daemon.client() as client:
        client.initialize("liveness")
        client.call("dataset/generate", {"preset": "fraud", "rows": 60000, "name": "cards"})
        yield client


def in_flight(daemon) -> list:
    with daemon.client() as client:
        return client.control("status", timeout=10)["in_flight"]


def wait_until_idle(daemon) -> list:
    """The daemon's in-flight requests once none is left, or after a bound that only catches a hang."""
    deadline = time.monotonic() + 60
    while (running := in_flight(daemon)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return running


def first_progress(action):
    """An ``on_progress`` callback that runs ``action`` once, at the first progress report."""
    done = []

    def callback(value):
        if not done:
            done.append(True)
            action()
    return callback


def test_long_calls_have_no_fixed_timeout():
    for method in (Client.call, Client.wait, Client.initialize):
        assert inspect.signature(method).parameters["timeout"].default is None, method.__name__


def test_a_killed_daemon_ends_the_wait(daemon, trainer):
    def kill():
        daemon.process.kill()
        daemon.process.wait()

    with pytest.raises(DaemonGone) as caught:
        trainer.call("model/train", LONG_TRAINING, on_progress=first_progress(kill))
    gone = caught.value
    assert gone.reason == "exited" and gone.pid == daemon.pid and gone.waiting_for == "model/train"
    assert f"The daemon (pid {daemon.pid}) has stopped while 'model/train' waited" in str(gone)
    assert "ballastd --connection-file" in str(gone)


def test_a_daemon_replaced_in_its_connection_file_ends_the_wait(daemon, trainer):
    data = daemon.raw_connection_file()

    def replace():
        # The old daemon is stuck, and another has taken its connection file.
        os.kill(daemon.pid, signal.SIGSTOP)
        daemon.connection_file.write_text(json.dumps({**data, "pid": os.getpid(), "key": "a-fresh-key"}))

    try:
        with pytest.raises(DaemonGone) as caught:
            trainer.call("model/train", LONG_TRAINING, on_progress=first_progress(replace))
    finally:
        os.kill(daemon.pid, signal.SIGCONT)
    assert caught.value.reason == "replaced" and caught.value.replaced_by == os.getpid()
    assert f"replaced by another daemon (pid {os.getpid()})" in str(caught.value)


def test_a_stuck_daemon_ends_the_wait_when_its_pings_fail(daemon, trainer):
    try:
        with pytest.raises(DaemonGone) as caught:
            trainer.call("model/train", LONG_TRAINING,
                         on_progress=first_progress(lambda: os.kill(daemon.pid, signal.SIGSTOP)))
    finally:
        os.kill(daemon.pid, signal.SIGCONT)
    assert caught.value.reason == "unresponsive"
    assert f"kill {daemon.pid}" in str(caught.value)


def test_keyboard_interrupt_cancels_the_request(daemon, trainer):
    def interrupt():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        trainer.call("model/train", LONG_TRAINING, on_progress=first_progress(interrupt))
    assert wait_until_idle(daemon) == []


def test_detach_leaves_the_request_running(daemon, trainer):
    def interrupt():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        trainer.call("model/train", LONG_TRAINING, on_progress=first_progress(interrupt), detach=True)
    running = in_flight(daemon)
    assert [job["method"] for job in running] == ["model/train"]
    trainer.cancel(running[0]["id"], via_control=True)
    assert wait_until_idle(daemon) == []


def test_a_timeout_cancels_the_request_and_says_so(daemon, trainer):
    with pytest.raises(RPCTimeout) as caught:
        trainer.call("model/train", LONG_TRAINING, timeout=1)
    assert caught.value.cancelled
    assert "'model/train'" in str(caught.value) and "the request was cancelled" in str(caught.value)
    assert wait_until_idle(daemon) == []


def test_connect_starts_a_fresh_daemon_after_a_kill_9(tmp_path):
    path = tmp_path / "run" / "ballastd.json"
    first = connect(path, daemon=daemon_binary())
    second = None
    try:
        old = first.info.pid
        assert first.call("ping")["pong"] is True
        os.kill(old, signal.SIGKILL)
        deadline = time.monotonic() + 30  # SIGKILL is delivered, not waited for
        while not process_is_gone(old) and time.monotonic() < deadline:
            time.sleep(0.02)
        # The killed daemon's file stays behind, naming a dead process: a client says so at once.
        with pytest.raises(DaemonGone) as caught:
            Client(ConnectionInfo.load(path))
        assert caught.value.reason == "exited" and caught.value.pid == old
        second = connect(path, daemon=daemon_binary())
        assert second.info.pid != old
        assert second.call("ping")["pong"] is True
    finally:
        first.close()
        if second is not None:
            pid = second.info.pid
            second.control("shutdown", timeout=10)
            second.close()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)


def run_cli(daemon, *args):
    return subprocess.run([sys.executable, "-m", "ballast_client", "--connection-file", str(daemon.connection_file),
                           *args], cwd=HERE.parent, capture_output=True, text=True, timeout=120)


def test_the_module_cli_exits_4_on_a_timeout_and_3_without_a_daemon(daemon, trainer, tmp_path):
    done = run_cli(daemon, "--timeout", "1", "model/train", json.dumps(LONG_TRAINING))
    assert done.returncode == 4, done.stderr
    assert "the request was cancelled" in done.stderr
    assert wait_until_idle(daemon) == []
    done = subprocess.run([sys.executable, "-m", "ballast_client", "--connection-file", str(tmp_path / "none.json"),
                           "ping"], cwd=HERE.parent, capture_output=True, text=True, timeout=60)
    assert done.returncode == 3


INTERRUPTED_SCRIPT = """
import json, sys
from ballast_client import Client, ConnectionInfo
params = json.loads(sys.argv[2])
with Client(ConnectionInfo.load(sys.argv[1])) as client:
    client.initialize("interrupted")
    def started(value, said=[]):
        if not said:
            said.append(True)
            print("started", flush=True)
    try:
        client.call("model/train", params, on_progress=started)
    except KeyboardInterrupt:
        print("interrupted", flush=True)
        sys.exit(130)
"""


def test_a_real_sigint_during_a_call_cancels_the_request(daemon, trainer):
    child = subprocess.Popen([sys.executable, "-c", INTERRUPTED_SCRIPT, str(daemon.connection_file),
                              json.dumps(LONG_TRAINING)], cwd=HERE.parent, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "started"
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert out.strip() == "interrupted"
    assert wait_until_idle(daemon) == []
