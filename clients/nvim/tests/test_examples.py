"""The `repl/*` golden examples (protocol/examples/repl*.json) replayed through the plugin's bridge
module: each `send` goes out as the plugin sends requests, each reply is matched as section 9 says."""

from __future__ import annotations

import json

import pytest

from conftest import REPO
from matching import mismatches  # protocol/examples/matching.py, put on sys.path by conftest

EXAMPLES = sorted((REPO / "protocol" / "examples").glob("repl*.json"))

REQUEST = """
local method, params_json = ...
local params = params_json ~= "" and vim.fn.json_decode(params_json) or nil
local _, err, line = require('ballast.bridge').request_sync(method, params, 120000)
if line == nil then return {false, vim.fn.json_encode(err)} end
return {true, line}
"""

NOTIFY = """
local method, params_json = ...
require('ballast.bridge').notify(method, params_json ~= "" and vim.fn.json_decode(params_json) or nil)
"""


def test_there_are_repl_examples():
    assert EXAMPLES, "protocol/examples/repl*.json is missing"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_example(nvim, path):
    example = json.loads(path.read_text(encoding="utf-8"))
    assert example.get("transport") == "stdio", path
    for number, exchange in enumerate(example["exchanges"], 1):
        send = exchange["send"]
        params = json.dumps(send["params"]) if "params" in send else ""
        if "id" not in send:
            nvim.exec_lua(NOTIFY, send["method"], params)
            assert "expect" not in exchange
            continue
        replied, text = nvim.exec_lua(REQUEST, send["method"], params)
        assert replied, f"exchange {number} ({send['method']}): no reply: {text}"
        reply = json.loads(text)
        # The plugin numbers its requests itself; the example's id stands for whichever it chose.
        reply["id"] = send["id"]
        if "expect" in exchange:
            problems = mismatches(exchange["expect"], reply)
            assert not problems, f"{path.name} exchange {number} ({send['method']}):\n" + "\n".join(problems)


def test_the_matchers_can_fail():
    assert mismatches({"a": "$string", "b": 9}, {"a": "x", "b": 9.000000000000002}) == []
    assert mismatches({"a": "$string"}, {"a": 1})
    assert mismatches({"a": 1}, {"a": 1, "b": 2})
    assert mismatches(["$/progress"], ["x"])
