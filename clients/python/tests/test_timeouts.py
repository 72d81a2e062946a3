"""A timeout that is no time to wait (NaN, infinity, zero, negative) is refused with a sentence
before anything is sent, in the API and on the command line (exit 2)."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from ballast_client import connect
from helpers import HERE

NO_TIME = [math.nan, math.inf, -math.inf, 0, -1]


@pytest.mark.parametrize("timeout", NO_TIME)
def test_calls_refuse_timeouts_that_are_no_time(client, timeout):
    client.initialize("timeouts")
    for attempt in (lambda: client.call("ping", timeout=timeout), lambda: client.control("ping", timeout=timeout),
                    lambda: client.wait(client.request("ping"), timeout)):
        with pytest.raises(ValueError, match="finite number of seconds above 0"):
            attempt()
    assert client.call("ping", timeout=10)["pong"] is True


@pytest.mark.parametrize("timeout", [math.nan, math.inf, -1])
def test_receives_refuse_nan_infinite_and_negative_waits_but_allow_a_look(client, timeout):
    with pytest.raises(ValueError, match="finite number of seconds 0 or more"):
        client.receive(timeout)
    assert client.receive(0) is None


def test_connect_refuses_a_nan_timeout(tmp_path):
    with pytest.raises(ValueError, match="finite number of seconds"):
        connect(tmp_path / "none.json", timeout=math.nan)


@pytest.mark.parametrize("text", ["nan", "inf", "-1", "0", "soon"])
def test_the_module_cli_refuses_them_with_status_2(daemon, text):
    done = subprocess.run([sys.executable, "-m", "ballast_client", "--connection-file", str(daemon.connection_file),
                           "--timeout", text, "ping"], cwd=HERE.parent, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "--timeout" in done.stderr
