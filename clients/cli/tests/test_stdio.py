"""`ballast --stdio`: newline-delimited JSON-RPC relayed to the daemon, signed by the bridge."""

from __future__ import annotations

import json
import subprocess


def bridge(env) -> subprocess.Popen:
    return subprocess.Popen([env.ballast, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env.vars, bufsize=1)


def send(process, message: dict) -> None:
    process.stdin.write(json.dumps(message) + "\n")
    process.stdin.flush()


def receive(process) -> dict:
    line = process.stdout.readline()
    assert line, f"the bridge closed its output; stderr: {process.stderr.read()}"
    return json.loads(line)


def test_initialize_and_ping_round_trip(env):
    process = bridge(env)
    send(process, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"client": {"name": "editor"}}})
    reply = receive(process)
    assert reply["id"] == 1 and reply["result"]["server"]["name"] == "ballastd"
    send(process, {"jsonrpc": "2.0", "id": "two", "method": "ping"})
    reply = receive(process)
    assert reply == {"jsonrpc": "2.0", "id": "two", "result": reply["result"]} and reply["result"]["pong"] is True
    # The control-only methods are routed to the control socket.
    send(process, {"jsonrpc": "2.0", "id": 3, "method": "status"})
    assert receive(process)["result"]["pid"] > 0
    # A line that is not JSON gets a parse error, and the bridge goes on.
    process.stdin.write("{not json\n")
    process.stdin.flush()
    assert receive(process)["error"]["code"] == -32700
    process.stdin.close()
    assert process.wait(timeout=10) == 0


def test_ids_may_repeat_across_bridges(env):
    # Editors restart their ids at 1; the bridge renumbers, so the daemon never sees a replay.
    for _ in range(2):
        process = bridge(env)
        send(process, {"jsonrpc": "2.0", "id": 1, "method": "initialize"})
        assert "result" in receive(process)
        send(process, {"jsonrpc": "2.0", "id": 2, "method": "ping"})
        assert receive(process)["result"]["pong"] is True
        process.stdin.close()
        assert process.wait(timeout=10) == 0


def test_progress_notifications_are_forwarded(env):
    process = bridge(env)
    send(process, {"jsonrpc": "2.0", "id": 1, "method": "initialize"})
    receive(process)
    send(process, {"jsonrpc": "2.0", "id": 2, "method": "dataset/generate", "params": {"preset": "fraud", "rows": 20000, "name": "c"}})
    assert receive(process)["result"]["rows"] == 20000
    send(process, {"jsonrpc": "2.0", "id": 3, "method": "model/train",
                   "params": {"dataset": "c", "model": {"type": "mlp", "hidden": [4]},
                              "optimizer": {"type": "adam", "epochs": 3}, "progress_token": "tok"}})
    kinds = []
    while True:
        message = receive(process)
        if message.get("method") == "$/progress":
            assert message["params"]["token"] == "tok"
            kinds.append(message["params"]["value"]["kind"])
            continue
        assert message["id"] == 3 and message["result"]["steps"] == 3
        break
    assert kinds[0] == "begin" and kinds[-1] == "end" and "report" in kinds
    process.stdin.close()
    assert process.wait(timeout=10) == 0


def test_the_bridge_relays_a_cancel_with_the_editors_id(env):
    process = bridge(env)
    send(process, {"jsonrpc": "2.0", "id": 1, "method": "initialize"})
    receive(process)
    send(process, {"jsonrpc": "2.0", "id": 2, "method": "dataset/generate", "params": {"preset": "fraud", "rows": 20000, "name": "c"}})
    receive(process)
    send(process, {"jsonrpc": "2.0", "id": 7, "method": "model/train",
                   "params": {"dataset": "c", "model": {"type": "mlp"}, "optimizer": {"type": "adam", "epochs": 100000},
                              "progress_token": 1}})
    while receive(process).get("params", {}).get("value", {}).get("kind") != "report":
        pass
    send(process, {"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": 7}})
    while True:
        message = receive(process)
        if "id" in message:
            assert message["id"] == 7 and message["error"]["code"] == -32800
            break
    process.stdin.close()
    assert process.wait(timeout=10) == 0
