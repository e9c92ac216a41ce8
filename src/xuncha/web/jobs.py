"""Inspections started from the console, run as asyncio tasks in the server's event loop.

One :class:`Jobs` per app keeps the jobs of this process in memory: their progress (targets
done of total, the targets being collected and their pages), state and error. The store keeps
the runs themselves; a run that the store still calls ``running`` but that no job of this
process owns was left behind by a process that died (or is run by another one, e.g. ``xuncha
inspect`` on the same database) and is shown as 中断.

A job is the coroutine of ``pipeline.inspect_async`` with the job as its progress sink and
``on_run`` callback: starting waits until the run exists, so the caller gets its id at once.
Cancelling cancels the task; ``inspect_async`` then ends the run ``cancelled`` and what was
collected stays in the store. A failure is logged and kept in ``Job.error``; it never reaches
the server.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from xuncha.errors import XunchaError
from xuncha.model import Target, TargetResult
from xuncha.settings import TZ
from xuncha.store import RunInfo, Store

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, CANCELLED, FAILED, INTERRUPTED = (
    "queued", "running", "done", "cancelled", "failed", "interrupted")
STATE_LABELS = {QUEUED: "排队", RUNNING: "运行中", DONE: "已完成", CANCELLED: "已取消", FAILED: "失败",
                INTERRUPTED: "中断"}
ACTIVE = (QUEUED, RUNNING)
START_TIMEOUT_S = 30.0  # how long ``start`` waits for the run to exist
CANCEL_WAIT_S = 15.0  # how long ``cancel`` waits for the task to wind down
KEEP = 50  # finished jobs remembered (their runs stay in the store regardless)


class JobBusy(Exception):
    """Another inspection of this console is still running."""

    def __init__(self, job: Job) -> None:
        super().__init__(f"inspection {job.run_id} is running")
        self.job = job


@dataclass
class SiteProgress:
    target: Target
    pages_done: int = 0
    pages_total: int = 0


@dataclass
class Job:
    """One inspection of this process; also its ``ProgressSink`` and ``on_run`` callback."""

    started_by: str
    started_at: datetime
    params: dict[str, Any] = field(default_factory=dict)  # as_of, ruleset, max_pages, region (for display)
    targets: list[Target] = field(default_factory=list)  # what it inspects
    run_id: int | None = None
    total: int = 0
    done: int = 0
    done_ids: set[str] = field(default_factory=set)  # the targets finished (for a region's progress)
    current: dict[str, SiteProgress] = field(default_factory=dict)
    state: str = QUEUED
    error: str = ""
    finished_at: datetime | None = None
    task: asyncio.Task[Any] | None = None
    result: Any = None  # what the coroutine returned (``RunOutcome``)
    run_known: asyncio.Event = field(default_factory=asyncio.Event)

    # ---------------------------------------------------------------- on_run
    def set_run(self, run_id: int) -> None:
        self.run_id = run_id
        self.run_known.set()

    # ---------------------------------------------------------------- ProgressSink
    def run_started(self, total: int) -> None:
        self.total = total
        self.state = RUNNING

    def site_started(self, target: Target) -> None:
        self.current[target.id] = SiteProgress(target)

    def site_progress(self, target: Target, done: int, total: int) -> None:
        p = self.current.get(target.id)
        if p is not None:
            p.pages_done, p.pages_total = done, max(total, done)

    def site_done(self, target: Target, result: TargetResult) -> None:
        self.current.pop(target.id, None)
        self.done += 1
        self.done_ids.add(target.id)

    # ---------------------------------------------------------------- views
    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    def elapsed_s(self, now: datetime | None = None) -> float:
        end = self.finished_at or now or datetime.now(TZ)
        return max(0.0, (end - self.started_at).total_seconds())

    def in_progress(self) -> list[SiteProgress]:
        """The targets being collected now, in the order they started (a copy)."""
        return list(self.current.values())


class Jobs:
    """The inspections of one console: at most one runs at a time."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._jobs: dict[int, Job] = {}
        self._active: Job | None = None
        self._lock: asyncio.Lock | None = None

    def get(self, run_id: int) -> Job | None:
        return self._jobs.get(run_id)

    def active(self) -> Job | None:
        job = self._active
        return job if job is not None and job.active else None

    def state_of(self, run: RunInfo) -> str:
        """The state shown for a stored run: the job's while this process runs it, else the
        store's; a run the store calls running that no job here owns is interrupted."""
        job = self._jobs.get(run.id)
        if job is not None:
            return job.state
        if run.status == "running":
            return INTERRUPTED
        return run.status if run.status in STATE_LABELS else FAILED

    async def start(self, make: Callable[[Job], Coroutine[Any, Any, Any]], *, started_by: str,
                    params: dict[str, Any] | None = None, targets: list[Target] | None = None,
                    timeout_s: float = START_TIMEOUT_S) -> Job:
        """Start ``make(job)`` as a task of the running loop and wait until its run exists (or
        it failed before that: then ``job.run_id`` is None and ``job.error`` says why; so too
        when ``make`` itself raises, and the console stays free).
        Raises :class:`JobBusy` while another job of this console is active."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            busy = self.active()
            if busy is not None:
                raise JobBusy(busy)
            job = Job(started_by=started_by, started_at=datetime.now(TZ).replace(microsecond=0),
                      params=dict(params or {}), targets=list(targets or []))
            coro: Coroutine[Any, Any, Any] | None = None
            try:
                coro = make(job)
                job.task = asyncio.get_running_loop().create_task(self._run(job, coro),
                                                                  name=f"xuncha-inspection-{started_by}")
            except Exception as exc:  # nothing runs: the console must not stay busy
                log.exception("inspection started by %s could not start", started_by)
                if coro is not None:
                    coro.close()
                job.state, job.finished_at = FAILED, datetime.now(TZ)
                job.error = str(exc) if isinstance(exc, XunchaError) else f"{type(exc).__name__}: {exc}"
                return job
            self._active = job  # only once its task exists (it clears this when it ends)
            try:
                await asyncio.wait_for(job.run_known.wait(), timeout_s)
            except TimeoutError:
                job.task.cancel()
                job.error = job.error or f"检查未能在 {int(timeout_s)} 秒内开始"
            if job.run_id is not None:
                self._remember(job)
            return job

    async def cancel(self, job: Job, wait_s: float = CANCEL_WAIT_S) -> Job:
        """Cancel the job's task and wait (a while) for the run to be closed."""
        if job.task is not None and not job.task.done():
            job.task.cancel()
            await asyncio.wait({job.task}, timeout=wait_s)
        return job

    async def _run(self, job: Job, coro: Coroutine[Any, Any, Any]) -> None:
        try:
            job.result = await coro
            job.state = DONE
        except asyncio.CancelledError:
            job.state = CANCELLED
            self._close_run(job, "cancelled")
            raise
        except Exception as exc:  # a failed inspection is shown, never crashes the server
            log.exception("inspection (run %s) started by %s failed", job.run_id, job.started_by)
            why = str(exc) if isinstance(exc, XunchaError) else f"{type(exc).__name__}: {exc}"
            if self._run_status(job) == "done":  # stored complete; only the report files failed
                job.state = DONE
                job.error = f"检查已完成，结果已保存，但写出报告文件时出错：{why}"
            else:
                job.state = FAILED
                job.error = f"检查过程中出错：{why}"
                self._close_run(job, "failed")
        finally:
            job.finished_at = datetime.now(TZ)
            job.current.clear()
            job.run_known.set()
            if self._active is job:
                self._active = None

    def _run_status(self, job: Job) -> str | None:
        if job.run_id is None:
            return None
        try:
            return self.store.get_run(job.run_id).status
        except Exception:  # the store may be the very thing that failed
            log.exception("could not read run %s", job.run_id)
            return None

    def _close_run(self, job: Job, status: str) -> None:
        """A run the pipeline could not close itself (it failed right after creating it)."""
        if job.run_id is None:
            return
        try:
            if self.store.get_run(job.run_id).status == "running":
                self.store.finish_run(job.run_id, status)
        except Exception:  # the store may be the very thing that failed
            log.exception("could not close run %s", job.run_id)

    def _remember(self, job: Job) -> None:
        assert job.run_id is not None
        self._jobs[job.run_id] = job
        finished = [rid for rid, j in self._jobs.items() if not j.active]
        for rid in finished[: max(0, len(finished) - KEEP)]:
            del self._jobs[rid]
