"""The connection file: where a daemon listens and the key that signs its messages (protocol section 3)."""

from __future__ import annotations

import errno
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

__all__ = ["ConnectionInfo", "ConnectionFileError", "default_connection_path"]


class ConnectionFileError(Exception):
    """The connection file is missing, unreadable or not a valid Ballast connection file."""


def default_connection_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where clients look for the daemon, exactly as the daemon chooses where to write.

    ``$BALLAST_CONNECTION_FILE``, else ``$XDG_RUNTIME_DIR/ballast/ballastd.json`` when
    ``XDG_RUNTIME_DIR`` is set and writable, else ``$XDG_STATE_HOME`` (or ``~/.local/state``)
    ``/ballast/ballastd.json``.
    """
    env = os.environ if environ is None else environ
    explicit = env.get("BALLAST_CONNECTION_FILE")
    if explicit:
        return Path(explicit)
    runtime = env.get("XDG_RUNTIME_DIR")
    if runtime and os.access(runtime, os.W_OK):
        return Path(runtime) / "ballast" / "ballastd.json"
    state = env.get("XDG_STATE_HOME")
    if state:
        base = Path(state)
    else:
        home = env.get("HOME") or os.path.expanduser("~")
        base = Path(home) / ".local" / "state"
    return base / "ballast" / "ballastd.json"


@dataclass(frozen=True)
class ConnectionInfo:
    """The contents of a connection file."""

    ip: str
    request_port: int
    control_port: int
    event_port: int
    key: str = field(repr=False)
    transport: str = "tcp"
    signature_scheme: str = "hmac-sha256"
    pid: int | None = None
    protocol_version: str | None = None
    path: Path | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: Path | None = None) -> "ConnectionInfo":
        where = f" {path}" if path else ""
        if not isinstance(data, Mapping):
            raise ConnectionFileError(f"The connection file{where} must hold a JSON object.")
        missing = [name for name in ("ip", "request_port", "control_port", "event_port", "key") if name not in data]
        if missing:
            raise ConnectionFileError(f"The connection file{where} lacks {', '.join(missing)}.")
        transport = data.get("transport", "tcp")
        if transport != "tcp":
            raise ConnectionFileError(f"The connection file{where} names transport {transport!r}; only 'tcp' is known.")
        scheme = data.get("signature_scheme", "hmac-sha256")
        if scheme != "hmac-sha256":
            raise ConnectionFileError(f"The connection file{where} names signature scheme {scheme!r}; only 'hmac-sha256' is known.")
        key = data["key"]
        if not isinstance(key, str) or not key:
            raise ConnectionFileError(f"The connection file{where} has an empty or non-string key.")
        ports = {}
        for name in ("request_port", "control_port", "event_port"):
            value = data[name]
            if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
                raise ConnectionFileError(f"The connection file{where} has an invalid {name}: {value!r}.")
            ports[name] = value
        return cls(ip=str(data["ip"]), key=key, transport=transport, signature_scheme=scheme,
                   pid=data.get("pid"), protocol_version=data.get("protocol_version"), path=path, **ports)

    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> "ConnectionInfo":
        """Read a connection file; without ``path``, the default location (:func:`default_connection_path`).

        The file is refused when it is a symbolic link, not the current user's, or readable or
        writable by group or others: whoever reads it can drive the daemon, and whoever planted it
        would receive what this client sends.
        """
        file = Path(path) if path is not None else default_connection_path()
        text = _read_private(file)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ConnectionFileError(f"The connection file {file} is not valid JSON: {error}.") from error
        return cls.from_dict(data, path=file)

    def endpoint(self, port: int) -> str:
        host = f"[{self.ip}]" if ":" in self.ip else self.ip
        return f"{self.transport}://{host}:{port}"

    @property
    def request_endpoint(self) -> str:
        return self.endpoint(self.request_port)

    @property
    def control_endpoint(self) -> str:
        return self.endpoint(self.control_port)

    @property
    def event_endpoint(self) -> str:
        return self.endpoint(self.event_port)

    @property
    def is_ipv6(self) -> bool:
        return ":" in self.ip


_MAX_BYTES = 1 << 16


def _read_private(file: Path) -> str:
    """The text of ``file``, read only when nobody but this user could have written it or can read it."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(file, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ConnectionFileError(
                f"Refusing the connection file {file}: it is a symbolic link, which could point at a file "
                "someone else controls. Remove the link and give the real file (or BALLAST_CONNECTION_FILE)."
            ) from error
        raise ConnectionFileError(f"Cannot read the connection file {file}: {error.strerror or error}. "
                                  "Is ballastd running?") from error
    try:
        status = os.fstat(fd)
        refusal = _refusal(status, file)
        if refusal:
            raise ConnectionFileError(f"Refusing the connection file {file}: {refusal}")
        chunks = []
        size = 0
        while size <= _MAX_BYTES:
            chunk = os.read(fd, _MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > _MAX_BYTES:
            raise ConnectionFileError(f"The connection file {file} is larger than {_MAX_BYTES} bytes.")
    except OSError as error:
        raise ConnectionFileError(f"Cannot read the connection file {file}: {error.strerror or error}.") from error
    finally:
        os.close(fd)
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConnectionFileError(f"The connection file {file} is not valid UTF-8: {error}.") from error


def _refusal(status: os.stat_result, file: Path) -> str | None:
    if not stat.S_ISREG(status.st_mode):
        return "it is not a regular file. Delete it and start ballastd again."
    owner = os.geteuid()
    if status.st_uid != owner:
        return (f"it belongs to user id {status.st_uid}, not to you ({owner}), so another user may have planted it "
                "to capture what you send. Delete it and start ballastd again.")
    mode = stat.S_IMODE(status.st_mode)
    if mode & 0o066:
        return (f"other users may read or change it (mode {mode:04o}), and whoever reads it can drive the daemon. "
                f"Run 'chmod 600 {file}' if you made it yourself; otherwise delete it and start ballastd again.")
    return None
