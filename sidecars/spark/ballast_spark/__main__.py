"""`python3 -m ballast_spark [--master URL | --remote sc://host:port] [--app-name NAME] [--conf K=V]…`

Starts Spark, says `ready`, then serves requests from stdin until `shutdown` or EOF. Standard
output carries the protocol only: everything else that would write there (the JVM, Py4J, a stray
print) is sent to standard error, where the daemon keeps the last line for its messages.
"""

from __future__ import annotations

import argparse
import io
import itertools
import os
import signal
import sys
import threading
import traceback
from typing import Any, Optional

from .protocol import EventWriter, SidecarError, SweepRequest, parse_fit, parse_line, parse_sweep, request_error


def take_stdout() -> io.TextIOWrapper:
    """The protocol channel: the original stdout, kept on a private descriptor (not inherited by the
    JVM) while descriptor 1 and `sys.stdout` become standard error."""
    channel = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    # Buffered, so a short write to the pipe is completed by the buffer, never half a line; the
    # EventWriter flushes after every event.
    return io.TextIOWrapper(os.fdopen(channel, "wb"), encoding="utf-8", newline="\n")


def log(message: str) -> None:
    print(f"ballast_spark: {message}", file=sys.stderr, flush=True)


class RunningFit:
    """The one fit in progress, on its own thread, in its own Spark job group (or tag)."""

    _groups = itertools.count(1)

    def __init__(self, sidecar: "Sidecar", request: Any):
        self.sidecar = sidecar
        self.request = request
        self.group = f"ballast-fit-{next(self._groups)}"
        self.cancel_requested = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"fit-{request.id}", daemon=True)
        self.poller: Optional[Any] = None

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.cancel_requested.set()
        if self.poller is not None:
            self.poller.cancelling.set()
        try:
            self.cancel_jobs()
        except Exception as e:  # noqa: BLE001
            log(f"cancelling {self.group} failed: {e}")

    def cancel_jobs(self) -> None:
        spark = self.sidecar.spark
        if self.sidecar.connect:
            spark.interruptTag(self.group)
            return
        # Only while one of the group's jobs runs: between two L-BFGS iterations there is none, and
        # Spark would log a warning for each empty call (the poller repeats the cancel until the end).
        context = spark.sparkContext
        tracker = context.statusTracker()
        running = [j for j in tracker.getJobIdsForGroup(self.group)
                   if (info := tracker.getJobInfo(j)) is not None and info.status == "RUNNING"]
        if running:
            context.cancelJobGroup(self.group)

    def _run(self) -> None:
        from .session import first_line

        spark = self.sidecar.spark
        event: Optional[dict[str, Any]] = None
        try:
            event = self._fit(spark)
        except BaseException as e:  # noqa: BLE001 — whatever happened, the fit ends with an event
            traceback.print_exc(file=sys.stderr)
            event = self._error(SidecarError("spark", f"The Spark fit failed: {first_line(e)}"))
        finally:
            if event is None:
                event = self._error(SidecarError("spark", "The Spark fit failed."))
            self.sidecar.finished(self, event)

    def _fit(self, spark: Any) -> dict[str, Any]:
        """The fit's answer: its result or error event. Everything that talks to Spark is inside the
        `try`, so a JVM that died since the last fit becomes a `spark` error, not a silent thread."""
        from .fit import Cancelled, fit_logistic
        from .progress import ProgressPoller
        from .session import first_line, is_stopped

        writer = self.sidecar.writer
        cached_before: dict[int, Any] = {}
        event: dict[str, Any]
        try:
            if not self.sidecar.connect and is_stopped(spark):
                raise SidecarError("spark", "Spark's context has stopped (its JVM or cluster went away); "
                                            "the sidecar exits so that a fresh one can serve the fit.")
            tracker = None
            if self.sidecar.connect:
                # Connect's active session is per thread, and pyspark.ml's remote calls look for it.
                type(spark)._set_default_and_active_session(spark)
                spark.addTag(self.group)
            else:
                spark.sparkContext.setJobGroup(self.group, f"Ballast fit {self.request.id}", interruptOnCancel=True)
                tracker = spark.sparkContext.statusTracker()
            self.poller = ProgressPoller(writer.send, self.request.id, tracker, self.group, self.cancel_jobs)
            if self.cancel_requested.is_set():
                self.poller.cancelling.set()
            self.poller.start()
            cached_before = self._persistent_rdds()
            if isinstance(self.request, SweepRequest):
                from .sweep import run_sweep
                result = run_sweep(spark, self.request, self.poller.set_stage, self.cancel_requested.is_set,
                                   self.poller.set_fits)
            else:
                result = fit_logistic(spark, self.request, self.poller.set_stage, self.cancel_requested.is_set)
            event = {"event": "result", "id": self.request.id, **result}
        except Cancelled:
            event = self._error(SidecarError("cancelled", "The Spark fit was cancelled."))
        except SidecarError as e:
            event = self._error(e)
        except Exception as e:  # noqa: BLE001 — anything else is Spark's failure, said in a sentence
            traceback.print_exc(file=sys.stderr)   # the whole story, for the log; the event says it short
            event = self._error(SidecarError("spark", f"The Spark fit failed: {first_line(e)}"))
        finally:
            if self.poller is not None:
                self.poller.stop()
            try:
                self._unpersist_since(cached_before)
                if self.sidecar.connect:
                    spark.removeTag(self.group)
                else:
                    spark.sparkContext.setLocalProperty("spark.jobGroup.id", None)
            except Exception:  # noqa: BLE001
                pass
        # A cancel that arrived before the answer wins: the daemon has told its client "cancelled".
        if event["event"] == "result" and self.cancel_requested.is_set():
            event = self._error(SidecarError("cancelled", "The Spark fit was cancelled."))
        return event

    def _persistent_rdds(self) -> dict[int, Any]:
        if self.sidecar.connect:
            return {}
        try:
            return dict(self.sidecar.spark.sparkContext._jsc.getPersistentRDDs())
        except Exception:  # noqa: BLE001
            return {}

    def _unpersist_since(self, before: dict[int, Any]) -> None:
        """Frees what the fit cached and left behind. LogisticRegression unpersists its cached rows
        when it finishes, but not when a job of it is cancelled or fails: without this, each
        cancelled fit would hold its data in the executors' memory (and disk) until a GC."""
        freed = 0
        for rdd_id, rdd in self._persistent_rdds().items():
            if rdd_id not in before:
                try:
                    rdd.unpersist(False)
                    freed += 1
                except Exception as e:  # noqa: BLE001
                    log(f"could not free cached RDD {rdd_id}: {e}")
        if freed:
            log(f"freed {freed} cached RDD(s) that the fit {self.request.id!r} left behind")

    def _error(self, error: SidecarError) -> dict[str, Any]:
        if self.cancel_requested.is_set() and error.kind != "request":
            error = SidecarError("cancelled", "The Spark fit was cancelled.")
        return {"event": "error", "id": self.request.id, "kind": error.kind, "message": error.message,
                "field": error.field}


class Sidecar:
    def __init__(self, spark: Any, writer: EventWriter, connect: bool):
        self.spark = spark
        self.writer = writer
        self.connect = connect
        self._lock = threading.Lock()
        self.current: Optional[RunningFit] = None
        self.spark_stopped = False

    def handle(self, line: str) -> bool:
        """Serves one request line; False once asked to shut down."""
        request_id = None
        try:
            message = parse_line(line)
            request_id = message.get("id") if isinstance(message.get("id"), str) else None
            op = message["op"]
            if op == "shutdown":
                return False
            if op == "cancel":
                with self._lock:
                    running = self.current if self.current and self.current.request.id == request_id else None
                if running is None:
                    log(f"cancel of {request_id!r}: no such fit is running (it may have just ended)")
                else:
                    running.cancel()
                return True
            request = parse_sweep(message) if op == "sweep" else parse_fit(message)
            with self._lock:
                if self.current is not None:
                    raise request_error(f"The sidecar is busy with the fit {self.current.request.id!r}; "
                                        "it runs one fit at a time.", None)
                self.current = RunningFit(self, request)
                self.current.start()
        except SidecarError as e:
            self.writer.error(request_id, e)
        return True

    def finished(self, fit: RunningFit, event: dict[str, Any]) -> None:
        # Free before answering: a client that sends the next fit on the answer must not hear "busy".
        with self._lock:
            if self.current is fit:
                self.current = None
        self.writer.send(event)
        if event["event"] == "error" and event["kind"] == "spark" and not self.connect:
            from .session import is_stopped
            if is_stopped(self.spark):
                log("Spark's context has stopped, so no later fit can run: the sidecar exits (the daemon starts a new one)")
                self.spark_stopped = True
                os.kill(os.getpid(), signal.SIGTERM)   # ends the main thread's wait on stdin

    def stop(self) -> None:
        with self._lock:
            running = self.current
        if running is not None:
            running.cancel()
            running.thread.join(timeout=60)
        try:
            self.spark.stop()
        except Exception as e:  # noqa: BLE001
            log(f"stopping Spark: {e}")


def stop_on_signal(signum: int, frame: Any) -> None:
    raise SystemExit(0)   # the main loop's `finally` stops Spark


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python3 -m ballast_spark",
                                     description="Ballast's Spark sidecar: JSON lines on stdin and stdout.")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--master", default="local[*]", help="Spark master URL: local[*] (default), spark://host:7077, yarn, k8s://…")
    where.add_argument("--remote", default=None, help="a Spark Connect server, sc://host:15002")
    parser.add_argument("--app-name", default="ballast", help="the application's name in Spark's UI")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                        help="a Spark setting (repeatable), as spark-submit's --conf")
    arguments = parser.parse_args(argv)
    confs = []
    for item in arguments.conf:
        key, sep, value = item.partition("=")
        if not sep or not key:
            parser.error(f"--conf expects KEY=VALUE, got {item!r}")
        confs.append((key.strip(), value))
    arguments.confs = confs
    return arguments


def main(argv: Optional[list[str]] = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    writer = EventWriter(take_stdout())
    signal.signal(signal.SIGTERM, stop_on_signal)

    from .session import first_line, start_spark
    try:
        spark = start_spark(arguments.master, arguments.remote, arguments.app_name, arguments.confs)
    except SidecarError as e:
        log(e.message)
        writer.error(None, e)
        return 1
    connect = arguments.remote is not None
    master = arguments.remote if connect else spark.sparkContext.master
    writer.ready(spark.version, master)
    log(f"Spark {spark.version} is up at {master}")
    sidecar = Sidecar(spark, writer, connect)
    try:
        for raw in sys.stdin.buffer:
            try:
                line = raw.decode("utf-8").strip()
            except UnicodeDecodeError:
                writer.error(None, request_error("A request line is not UTF-8."))
                continue
            if line and not sidecar.handle(line):
                break
    except (SystemExit, KeyboardInterrupt):
        pass
    except Exception as e:  # noqa: BLE001
        log(f"stopping on an unexpected error: {first_line(e)}")
    finally:
        sidecar.stop()
    return 1 if sidecar.spark_stopped else 0


if __name__ == "__main__":
    sys.exit(main())
