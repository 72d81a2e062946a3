"""How :class:`~ballast_client.estimator.BallastClassifier` reaches the daemon: one shared client per
process and daemon behind one lock, and the dropping of daemon models whose estimators went away.
"""

from __future__ import annotations

import atexit
import os
import threading
import weakref
from typing import Any

from .client import Client

__all__ = ["Call", "drop_model", "identity", "shared_client", "unwatch", "watch"]

DROP_TIMEOUT = 5.0  # a drop at garbage collection or exit never holds a program up for longer

# -- connections ------------------------------------------------------------------------------------
#
# One Client per process and daemon, shared by every estimator and thread, every use of it (and of
# a user's Client through an estimator) serialised by one lock: ZeroMQ allows a socket to move
# between threads across a full memory barrier, which taking the lock gives. So an estimator holds
# exactly one daemon model whichever thread predicts, and drops it once. Models trained or loaded
# with keep: false stay in the daemon's memory (and count against its budget) until model/drop, so
# every one of them is dropped: at refit, when the estimator is collected, or at interpreter exit.

_lock = threading.RLock()
_state = threading.local()  # depth: this thread's operations in flight (it holds _lock meanwhile)
_clients: dict[tuple, Client] = {}  # daemon identity → the shared client of it
_paths: dict[str, tuple] = {}  # connection file → the identity of the daemon last reached through it
_pending_drops: list[tuple[Any, str, int]] = []  # (ConnectionInfo, model name, pid) waiting for the lock
_owner_pid = os.getpid()


def identity(info) -> tuple:
    return (info.ip, info.request_port, info.control_port, info.key, info.pid)


def _after_fork() -> None:
    """A child process has the parent's sockets and maybe a lock held by a thread it does not
    have: it starts afresh, and leaves the parent's models to the parent."""
    global _lock, _owner_pid
    if _owner_pid != os.getpid():
        _lock = threading.RLock()
        _clients.clear()
        _paths.clear()
        _pending_drops.clear()
        _state.depth = 0
        _owner_pid = os.getpid()


def _close_quietly(client: Client) -> None:
    try:
        client.close()
    except Exception:  # noqa: BLE001 - a client of a gone daemon closes as it can
        pass


def shared_client(path: str | None) -> Client:
    """The process's client of the daemon whose connection file is ``path`` (None: the default
    location), made with :func:`ballast_client.connect` on first use, and made again when the file
    no longer describes the daemon the client talks to (a restart). Call it holding ``_lock``."""
    from .connection import ConnectionInfo, default_connection_path
    from .launcher import connect
    from .liveness import daemon_process_is_gone

    file = os.fspath(path) if path is not None else os.fspath(default_connection_path())
    known = _paths.get(file)
    client = _clients.get(known) if known is not None else None
    if client is not None and not client.closed:
        try:
            current = ConnectionInfo.load(file)
        except Exception:  # noqa: BLE001 - no file (stopped), or a half-written one: connect() decides
            current = None
        if current is not None and identity(current) == known and not daemon_process_is_gone(current):
            return client
    if client is not None:
        _clients.pop(known, None)
        _close_quietly(client)
    client = connect(file, name="ballast_client.estimator")
    _clients[identity(client.info)] = client
    _paths[file] = identity(client.info)
    return client


def _client_for_drop(info) -> Client | None:
    """The shared client of the daemon ``info`` describes, made (never a daemon started) when
    none is open; None when that daemon is gone. Call it holding ``_lock``."""
    from .liveness import daemon_process_is_gone

    key = identity(info)
    client = _clients.get(key)
    if info.path is not None and daemon_process_is_gone(info):
        return None  # its models went with it
    if client is not None and not client.closed:
        return client
    client = Client(info)
    try:
        client.initialize("ballast_client.estimator", timeout=DROP_TIMEOUT)
    except BaseException:
        _close_quietly(client)
        raise
    _clients[key] = client
    return client


# -- dropping daemon models when estimators go away ---------------------------------------------------


def drop_model(info, name: str, pid: int) -> None:
    """Forget the daemon model ``name`` (a ``weakref.finalize`` callback: best effort, never
    raises, never waits for the lock). The drop goes through the shared client of that daemon,
    never a user's Client (it may be closed, or belong to another thread). When another thread is
    using the daemon, or this thread is inside one of this module's calls (a finalizer fired by a
    collection during it), the drop waits for that call to end."""
    if pid != os.getpid():
        return  # a forked child's copy: the model is the parent's
    _pending_drops.append((info, name, pid))
    _flush_pending_drops()


def _flush_pending_drops(wait: float | None = None) -> None:
    if not _pending_drops:
        return
    acquired = _lock.acquire(timeout=wait) if wait is not None else _lock.acquire(blocking=False)
    if not acquired:
        return  # the holder flushes when its operation ends
    try:
        if getattr(_state, "depth", 0):
            return  # inside this thread's own call: flushed when it ends
        _state.depth = 1  # a finalizer fired by a collection during these drops waits for the loop
        try:
            while _pending_drops:
                info, name, pid = _pending_drops.pop(0)
                if pid != os.getpid():
                    continue
                try:
                    client = _client_for_drop(info)
                    if client is not None:
                        client.call("model/drop", {"model": name}, timeout=DROP_TIMEOUT)
                except Exception:  # noqa: BLE001 - best effort: the model may be gone with its daemon
                    pass
        finally:
            _state.depth = 0
    finally:
        _lock.release()


_finalizers: set[weakref.finalize] = set()  # of estimators holding a daemon model, for exit


def watch(finalizer: weakref.finalize) -> None:
    """Remembers an estimator's finalizer, so that interpreter exit drops its model."""
    if len(_finalizers) > 1024:
        _finalizers.difference_update([f for f in list(_finalizers) if not f.alive])
    _finalizers.add(finalizer)


def unwatch(finalizer: weakref.finalize) -> None:
    """Forgets a finalizer its estimator is about to run itself."""
    _finalizers.discard(finalizer)


def _at_exit() -> None:
    """At exit: every live estimator's drop (whether or not weakref.finalize's own exit hook ran
    first), the drops still pending, then the shared clients closed."""
    if _owner_pid != os.getpid():
        return
    for finalizer in list(_finalizers):
        finalizer()
    _finalizers.clear()
    _flush_pending_drops(wait=DROP_TIMEOUT)
    if _lock.acquire(timeout=DROP_TIMEOUT):
        try:
            for client in list(_clients.values()):
                _close_quietly(client)
            _clients.clear()
        finally:
            _lock.release()


atexit.register(_at_exit)


class Call:
    """One of the estimator's operations on the daemon: holds the lock (another thread's operation
    waits), marks this thread busy so a finalizer never re-enters a client mid-call, and flushes
    the drops that waited for it."""

    def __enter__(self) -> None:
        _after_fork()
        _lock.acquire()
        _state.depth = getattr(_state, "depth", 0) + 1

    def __exit__(self, *exc: object) -> None:
        _state.depth -= 1
        _lock.release()
        if _state.depth == 0:
            _flush_pending_drops()
