"""Progress of the running fit, from Spark's status tracker, polled every half second.

The poller also repeats a requested cancel on every tick until the fit ends: Spark cancels only
the jobs running at the moment of the call, and L-BFGS starts a new job every iteration, so a
cancel landing between two jobs would otherwise be lost.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Optional

POLL_SECONDS = 0.5


class ProgressPoller:
    def __init__(self, send: Callable[[dict[str, Any]], None], request_id: str, tracker: Optional[Any],
                 group: str, while_cancelling: Callable[[], None]):
        self._send = send
        self._id = request_id
        self._tracker = tracker          # None with Spark Connect: stages only, no task counts
        self._group = group
        self._while_cancelling = while_cancelling
        self._stage: Optional[str] = None
        self._fits: Optional[tuple[int, int]] = None   # a sweep's fits done and in all
        self._last: Optional[tuple[Any, ...]] = None
        # Finished jobs' counts, kept: the tracker forgets old jobs (spark.ui.retainedJobs) and a
        # long L-BFGS run starts one job per iteration, yet the counts must only grow.
        self._finished: dict[int, tuple[int, int]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self.cancelling = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"progress-{request_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def set_stage(self, stage: str) -> None:
        with self._lock:
            self._stage = stage
        self._report()

    def set_fits(self, done: int, total: int) -> None:
        with self._lock:
            self._fits = (done, total)
        self._report()

    def _run(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            if self.cancelling.is_set():
                try:
                    self._while_cancelling()
                except Exception:  # noqa: BLE001 — Spark may be stopping; the fit thread reports
                    pass
            self._report()

    def _counts(self) -> tuple[int, int, int]:
        if self._tracker is None:
            return 0, 0, 0
        done = total = 0
        for job_id in self._tracker.getJobIdsForGroup(self._group):
            if job_id in self._finished:
                continue
            job = self._tracker.getJobInfo(job_id)
            if job is None:
                continue
            job_done = job_total = 0
            for stage_id in job.stageIds:
                stage = self._tracker.getStageInfo(stage_id)
                if stage is not None:
                    job_total += stage.numTasks
                    job_done += stage.numCompletedTasks
            if job.status == "SUCCEEDED":
                self._finished[job_id] = (job_done, job_total)
            else:
                done += job_done
                total += job_total
        done += sum(d for d, _ in self._finished.values())
        total += sum(t for _, t in self._finished.values())
        return done, total, len(self._finished)

    def _report(self) -> None:
        with self._lock:
            stage = self._stage
            if stage is None:
                return
            try:
                done, total, jobs_done = self._counts()
            except Exception:  # noqa: BLE001 — a tracker call racing the end of the fit
                return
            state = (stage, done, total, jobs_done, self._fits)
            if state == self._last:
                return
            self._last = state
            event = {"event": "progress", "id": self._id, "stage": stage, "tasks_done": done,
                     "tasks_total": total, "jobs_done": jobs_done}
            if self._fits is not None:
                event["fits_done"], event["fits_total"] = self._fits
            self._send(event)
