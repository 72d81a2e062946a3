"""Starting Spark for the sidecar: local mode, a cluster master, or a Spark Connect server."""

from __future__ import annotations

import os
import shutil
from typing import Any, Optional, Sequence

from .protocol import SidecarError

INSTALL_HINT = "run scripts/install-deps.sh --spark (it installs pyspark and Debian's openjdk-17-jre-headless)"
LOG_CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "log4j2.properties")


def start_spark(master: str, remote: Optional[str], app_name: str, confs: Sequence[tuple[str, str]]) -> Any:
    """A SparkSession, or a `spark` SidecarError saying what is missing and how to get it."""
    try:
        import pyspark
    except ImportError as e:
        raise SidecarError("spark", f"pyspark is not installed for {shutil.which('python3') or 'this Python'} ({e}); {INSTALL_HINT}.") from None
    version = str(getattr(pyspark, "__version__", "unknown"))
    if major_version(version) < 4:
        # Every fit would fail on pyspark 3.x (Column.try_cast is 4.0+): refuse at start, saying so.
        raise SidecarError("spark", f"pyspark {version} is installed for {shutil.which('python3') or 'this Python'}, but the "
                                    f"sidecar needs pyspark 4 (4.0.1); {INSTALL_HINT}.")
    from pyspark.sql import SparkSession
    builder = SparkSession.builder.appName(app_name)
    if remote is not None:
        try:
            import grpc  # noqa: F401 — Spark Connect's client needs pyspark's `connect` extras
            import pandas  # noqa: F401
            import pyarrow  # noqa: F401
            import google.rpc  # noqa: F401
        except ImportError as e:
            raise SidecarError("spark", f"Spark Connect needs pyspark's Connect client ({e}); install it with "
                                        "python3 -m pip install 'pyspark[connect]==4.0.1'.") from None
        builder = builder.remote(remote)
    else:
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
            raise SidecarError("spark", f"Java is not installed (no `java` on PATH and no JAVA_HOME); {INSTALL_HINT}.")
        given = dict(confs)
        java_options = f"-Dlog4j2.configurationFile=file:{LOG_CONFIG}"
        if "spark.driver.extraJavaOptions" in given:
            java_options = given.pop("spark.driver.extraJavaOptions") + " " + java_options
        builder = (builder.master(master)
                   .config("spark.driver.extraJavaOptions", java_options)
                   # The console progress bar would fill the daemon's log; progress goes on the wire.
                   .config("spark.ui.showConsoleProgress", "false"))
        confs = list(given.items())
    for key, value in confs:
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as e:  # noqa: BLE001 — whatever stopped Spark, the daemon needs it as a sentence
        reason = first_line(e)
        if "stopped SparkContext" in reason:
            reason = ("the cluster manager never accepted the application (is the master running at that address, "
                      "and does it have free cores?); Spark's log on the sidecar's stderr says more")
        raise SidecarError("spark", f"Spark could not start at {remote or master}: {reason}") from None
    if remote is None:
        spark.sparkContext.setLogLevel("WARN")
    return spark


def major_version(version: str) -> int:
    """4 for "4.0.1"; 0 when the version cannot be read (counts as too old)."""
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else 0


def is_stopped(spark: Any) -> bool:
    """Whether a classic session's SparkContext has stopped (its cluster gone, its JVM failing):
    no later fit can run, so the sidecar exits and the daemon starts a new one."""
    try:
        return bool(spark.sparkContext._jsc.sc().isStopped())
    except Exception:  # noqa: BLE001 — a JVM that no longer answers is stopped too
        return True


def first_line(error: BaseException) -> str:
    """The part of a Spark or Py4J error a person reads: its first meaningful line, no stack trace."""
    text = ""
    get_message = getattr(error, "getMessage", None)
    if callable(get_message):
        try:
            text = get_message() or ""
        except Exception:  # noqa: BLE001
            text = ""
    if not text:
        java = getattr(error, "java_exception", None)
        if java is not None:
            try:
                text = java.toString()
            except Exception:  # noqa: BLE001
                text = ""
    if not text:
        text = str(error) or type(error).__name__
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("at ", "JVM stacktrace", "Traceback")):
            return line[:600]
    return type(error).__name__
