"""Python client for ballastd: signed JSON-RPC 2.0 over ZeroMQ. See clients/python/README.md."""

from .client import PROTOCOL_VERSION, Client, RPCError, RPCTimeout, encode
from .events import Events
from .connection import ConnectionFileError, ConnectionInfo, default_connection_path
from .launcher import DaemonNotAnswering, DaemonUnavailable, connect, live_daemon, remove_stale_file
from .liveness import DaemonGone
from .runs import comparison_records
from .signing import sign, verify

__all__ = [
    "PROTOCOL_VERSION", "Client", "Events", "RPCError", "RPCTimeout", "encode",
    "ConnectionFileError", "ConnectionInfo", "default_connection_path", "sign", "verify",
    "DaemonGone", "DaemonNotAnswering", "DaemonUnavailable", "connect", "live_daemon", "remove_stale_file",
    "comparison_records",
]
__version__ = "0.1.0"
