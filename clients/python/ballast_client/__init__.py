"""Python client for ballastd: imbalanced classification over signed JSON-RPC 2.0 and ZeroMQ.

>>> import ballast_client
>>> with ballast_client.connect() as bl:
...     bl.dataset.generate(preset="fraud", name="cards")

See clients/python/README.md.
"""

from .client import PROTOCOL_VERSION, Client, RPCError, RPCTimeout, encode
from .events import Events
from .interrupts import Interrupted
from .connection import ConnectionFileError, ConnectionInfo, default_connection_path
from .launcher import DaemonNotAnswering, DaemonUnavailable, connect, live_daemon, remove_stale_file
from .liveness import DaemonGone
from .results import Result
from .runs import comparison_records
from .signing import sign, verify

__all__ = [
    "PROTOCOL_VERSION", "Client", "Events", "RPCError", "RPCTimeout", "encode",
    "ConnectionFileError", "ConnectionInfo", "default_connection_path", "sign", "verify",
    "DaemonGone", "DaemonNotAnswering", "DaemonUnavailable", "connect", "live_daemon", "remove_stale_file",
    "comparison_records", "Interrupted", "Result",
]
__version__ = "0.1.0"
