"""``python -m ballast_client METHOD [PARAMS_JSON]``: call one method and print its result as JSON.

Examples::

    python -m ballast_client ping
    python -m ballast_client --control status
    python -m ballast_client dataset/generate '{"preset": "fraud", "rows": 1000}'

Exit status, as ``ballast``'s: 0 success, 1 the daemon answered with an error, 2 bad usage, 3 no
daemon reachable (or it stopped while the call waited), 4 no reply within --timeout (the request
was cancelled), 130 interrupted (the request was cancelled).
"""

from __future__ import annotations

import argparse
import json
import sys

from . import Client, ConnectionFileError, ConnectionInfo, DaemonGone, RPCError, RPCTimeout, __version__
from .client import CONTROL_TIMEOUT, check_timeout

# `ballast`'s exit statuses, named as its one table names them (Sources/BallastCLI/Session/ExitStatus.swift:
# success, daemonError, usage, noDaemon, timedOut, interrupted) and listed in README.md.
EXIT_SUCCESS = 0
EXIT_DAEMON_ERROR = 1
EXIT_USAGE = 2  # argparse's own status for bad usage
EXIT_NO_DAEMON = 3
EXIT_TIMED_OUT = 4
EXIT_INTERRUPTED = 130


def _seconds(text: str) -> float:
    """A ``--timeout``: a finite number of seconds above 0."""
    try:
        return check_timeout(float(text), name="--timeout")
    except ValueError as error:
        message = str(error) if "--timeout" in str(error) else f"--timeout takes a number of seconds, not {text!r}."
        raise argparse.ArgumentTypeError(message) from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ballast_client", description=__doc__.splitlines()[0])
    parser.add_argument("method", help="method name, e.g. ping, status, dataset/list")
    parser.add_argument("params", nargs="?", help="params as a JSON object")
    parser.add_argument("--connection-file", help="default: $BALLAST_CONNECTION_FILE, $XDG_RUNTIME_DIR/ballast/"
                                                  "ballastd.json or ~/.local/state/ballast/ballastd.json")
    parser.add_argument("--control", action="store_true", help="call on the control socket (no initialize)")
    parser.add_argument("--timeout", type=_seconds, default=None,
                        help="seconds to wait for the reply (a finite number above 0), then cancel it and exit 4 "
                             f"(default: no limit while the daemon lives; {CONTROL_TIMEOUT:g} s on the control socket)")
    parser.add_argument("--progress", action="store_true", help="print $/progress values to stderr")
    args = parser.parse_args(argv)

    params = None
    if args.params is not None:
        try:
            params = json.loads(args.params)
        except json.JSONDecodeError as error:
            parser.error(f"params are not valid JSON: {error}")
        if not isinstance(params, dict):
            parser.error("params must be a JSON object")

    def show_progress(value):
        print(json.dumps(value, ensure_ascii=False), file=sys.stderr)

    try:
        info = ConnectionInfo.load(args.connection_file)
        client = Client(info)
    except (ConnectionFileError, DaemonGone) as error:
        print(error, file=sys.stderr)
        return EXIT_NO_DAEMON
    with client:
        try:
            if args.control:
                result = client.control(args.method, params,
                                        timeout=CONTROL_TIMEOUT if args.timeout is None else args.timeout)
            else:
                client.initialize("ballast_client-cli", __version__, timeout=args.timeout)
                result = client.call(args.method, params, timeout=args.timeout,
                                     on_progress=show_progress if args.progress else None)
        except RPCError as error:
            print(f"error {error.code}: {error.message}", file=sys.stderr)
            if error.data is not None:
                print(json.dumps(error.data, indent=2, ensure_ascii=False), file=sys.stderr)
            return EXIT_DAEMON_ERROR
        except RPCTimeout as error:
            print(error, file=sys.stderr)
            return EXIT_TIMED_OUT
        except DaemonGone as error:
            print(error, file=sys.stderr)
            return EXIT_NO_DAEMON
        except KeyboardInterrupt:
            print("Interrupted; the request was cancelled.", file=sys.stderr)
            return EXIT_INTERRUPTED
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return EXIT_SUCCESS


if __name__ == "__main__":
    sys.exit(main())
