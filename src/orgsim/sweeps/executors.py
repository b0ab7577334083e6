"""Where a sweep's worlds run: in this process, in a local process pool, on a Dask cluster, or any ``map``.

Every executor gets the same batches of world ids, of a fixed size that
does not depend on how many workers there are, and hands back each batch's
outcomes in the order of the batches, so a sweep's results are identical
whatever runs it. The :class:`~orgsim.sweeps.space.Space` (the base, the
scenario's plan, the factors, the measures) is shipped once per worker: as
the process pool's initializer argument, or scattered to every Dask worker;
an arbitrary executor (anything with ``map``, such as Ray's
``ray.util.multiprocessing.Pool``) receives it pickled once, sent with each
batch, and unpickled once per worker process. Workers send back outcomes,
never worlds. A world that fails is reported by its id with its error; when
a worker dies, its batch is run again on its own, halved until the worlds that
kill their worker are found, and only those are reported (by id, as failed).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Protocol

from orgsim.errors import OrgsimError, one_line
from orgsim.sweeps.results import Failure
from orgsim.sweeps.space import Outcome, Space

BATCH = 250
"""Worlds per batch: fixed, so that results do not depend on the number of workers."""

Batch = tuple[int, int]
"""World ids from the first to the second, excluded."""

Done = list[Outcome | Failure]
"""What a batch comes back as: each world's outcome, or its failure."""


class MapLike(Protocol):
    """Anything with an executor's ``map`` (``concurrent.futures``, ``multiprocessing.Pool``, Ray's pool)."""

    def map(self, fn: Callable[..., Any], *iterables: Iterable[Any]) -> Iterable[Any]:
        """``fn`` applied to each item, the results in order."""
        ...


def batches(size: int, batch: int = BATCH) -> list[Batch]:
    """World ids ``0..size`` cut into batches of ``batch``."""
    return [(start, min(start + batch, size)) for start in range(0, size, batch)]


def run_batch(space: Space, batch: Batch) -> Done:
    """Run each world of ``batch``; a world that raises is reported with its error, the others are kept."""
    done: Done = []
    for world in range(*batch):
        try:
            done.append(space.run(world))
        except OrgsimError as error:
            done.append(Failure(world, one_line(str(error))))
        except Exception as error:
            done.append(Failure(world, one_line(f"{type(error).__name__}: {error}")))
    return done


def isolate(
    run: Callable[[Batch], Done], batch: Batch, died: type[BaseException] | tuple[type[BaseException], ...]
) -> Done:
    """Run ``batch`` again on its own after its worker died, halving it until each world that kills its worker is
    found: those are reported by id with the error, every other world keeps its outcome.

    ``run`` runs a batch where a death cannot take other work with it (a pool
    of one process, a single task) and raises ``died`` when the worker dies.
    """
    try:
        return run(batch)
    except died as error:
        if batch[1] - batch[0] == 1:
            return [Failure(batch[0], one_line(f"its worker died: {type(error).__name__}: {error}"))]
    middle = (batch[0] + batch[1]) // 2
    return isolate(run, (batch[0], middle), died) + isolate(run, (middle, batch[1]), died)


class InProcess:
    """Runs every world here, one after another (no pickling; the way for small sweeps and debugging)."""

    workers = 1

    def run(self, space: Space, work: Sequence[Batch]) -> Iterator[Done]:
        """Each batch's outcomes, in order."""
        for batch in work:
            yield run_batch(space, batch)


# --------------------------------------------------------------------------------------------- local processes

_INSTALLED: dict[str, Space] = {}
"""The space(s) a worker process holds, by the digest of their pickle."""


def _install(payload: bytes) -> None:
    _INSTALLED.clear()
    _INSTALLED["pool"] = pickle.loads(payload)


def _run_installed(batch: Batch) -> Done:
    return run_batch(_INSTALLED["pool"], batch)


class LocalPool:
    """A pool of local worker processes, one per core by default; the space is shipped once to each."""

    def __init__(self, workers: int | None = None, *, window: int | None = None) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.window = window or 4 * self.workers
        """Batches in flight at once: enough to keep every worker busy, few enough to keep memory flat."""

    def run(self, space: Space, work: Sequence[Batch]) -> Iterator[Done]:
        """Each batch's outcomes, in order; a batch whose worker died is reported as failed, and the pool restarted."""
        payload = pickle.dumps(space, protocol=pickle.HIGHEST_PROTOCOL)
        pool = self._pool(payload)
        try:
            pending: deque[tuple[Batch, Future[Done]]] = deque()
            queue = iter(work)
            for batch in queue:
                pending.append((batch, pool.submit(_run_installed, batch)))
                if len(pending) >= self.window:
                    break
            while pending:
                batch, future = pending.popleft()
                try:
                    yield future.result()
                except BrokenProcessPool:
                    # Every batch in flight died with the pool: this one is run again on its own (to find the world
                    # that killed its worker, if it was this batch), the others in a new pool.
                    pool.shutdown(wait=False, cancel_futures=True)
                    yield isolate(lambda part: self._alone(payload, part), batch, BrokenProcessPool)
                    pool = self._pool(payload)
                    pending = deque((b, pool.submit(_run_installed, b)) for b, _ in pending)
                following = next(queue, None)
                if following is not None:
                    pending.append((following, pool.submit(_run_installed, following)))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def _pool(self, payload: bytes, workers: int | None = None) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=workers or self.workers, initializer=_install, initargs=(payload,))

    def _alone(self, payload: bytes, batch: Batch) -> Done:
        """``batch`` in a pool of its own (a worker that dies takes nothing else with it)."""
        pool = self._pool(payload, 1)
        try:
            return pool.submit(_run_installed, batch).result()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


# --------------------------------------------------------------------------------------------- any map


def _run_shipped(task: tuple[str, bytes, Batch]) -> Done:
    digest, payload, batch = task
    space = _INSTALLED.get(digest)
    if space is None:
        _INSTALLED.clear()  # one sweep at a time per worker: memory stays flat
        space = _INSTALLED[digest] = pickle.loads(payload)
    return run_batch(space, batch)


class Mapped:
    """Runs on any object with an executor's ``map`` (Ray's pool, a ``concurrent.futures`` executor...)."""

    def __init__(self, executor: MapLike, *, chunk: int = 64) -> None:
        self.executor = executor
        self.chunk = chunk
        """Batches handed to ``map`` at a time (results are consumed as they come, chunk by chunk)."""
        self.workers = getattr(executor, "_max_workers", None) or getattr(executor, "_processes", None) or 1

    def run(self, space: Space, work: Sequence[Batch]) -> Iterator[Done]:
        """Each batch's outcomes, in order."""
        payload = pickle.dumps(space, protocol=pickle.HIGHEST_PROTOCOL)
        digest = hashlib.sha256(payload).hexdigest()
        for start in range(0, len(work), self.chunk):
            part = work[start : start + self.chunk]
            yield from self.executor.map(_run_shipped, [(digest, payload, batch) for batch in part])


# --------------------------------------------------------------------------------------------- Dask


class DaskUnavailable(OrgsimError):
    """Dask is not installed (it is the optional extra ``orgsim[dask]``)."""


def dask_available() -> None:
    """Raise :class:`DaskUnavailable` (one line, exit 2 on the command line) unless Dask's distributed is installed."""
    _dask()


def _dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise DaskUnavailable(
            'a Dask scheduler needs Dask: pip install "orgsim[dask]" (or "dask[distributed]")', field="scheduler"
        ) from None
    return distributed


SCHEDULER_ADDRESS = re.compile(r"(tcp|tls|ws|wss|ucx)://[^\s/]+:\d{1,5}")
"""What ``--scheduler`` takes besides ``local``: a Dask scheduler's address with its protocol and port."""
CONNECT_SECONDS = 10
"""How long to try to reach a running scheduler before saying it cannot be reached."""


def scheduler_problem(scheduler: str) -> str | None:
    """Why ``scheduler`` names no Dask scheduler orgsim can use (None: ``local``, or an address it can try)."""
    if scheduler == "local" or SCHEDULER_ADDRESS.fullmatch(scheduler):
        return None
    return f"{scheduler!r} is neither 'local' nor a scheduler address such as tcp://HOST:8786"


def _connect(distributed: Any, scheduler: Any) -> Any:
    """A client of the running scheduler at ``scheduler``, or one line saying why there is none."""
    problem = scheduler_problem(scheduler) if isinstance(scheduler, str) else None
    if problem is not None:
        raise SchedulerUnreachable(problem, field="scheduler")
    try:
        return distributed.Client(scheduler, set_as_default=False, timeout=CONNECT_SECONDS)
    except (OSError, ValueError, TimeoutError) as error:
        why = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SchedulerUnreachable(
            f"cannot reach the Dask scheduler at {scheduler}: {why}", field="scheduler"
        ) from None


class SchedulerUnreachable(OrgsimError):
    """The Dask scheduler named is not a scheduler address, or cannot be reached."""


def _run_scattered(space: Space, batch: Batch) -> Done:
    return run_batch(space, batch)


def _run_group(space: Space, group: tuple[Batch, ...]) -> list[Done]:
    return [run_batch(space, batch) for batch in group]


DASK_GROUP = 8
"""Batches per Dask task (the scheduler's overhead is per task; see :data:`BATCH`)."""


class DaskExecutor:
    """Runs on a Dask cluster: ``"local"`` starts a ``LocalCluster``, ``"tcp://HOST:8786"`` uses a running one, or
    give a ``distributed.Client``. The space is scattered to every worker once."""

    def __init__(
        self,
        scheduler: Any = "local",
        *,
        workers: int | None = None,
        processes: bool = True,
        window: int | None = None,
    ) -> None:
        self.scheduler = scheduler
        self.processes = processes
        self.workers = workers or os.cpu_count() or 1
        self.window = window

    def run(self, space: Space, work: Sequence[Batch]) -> Iterator[Done]:
        """Each batch's outcomes, in order; a batch whose worker died (or failed) is reported as failed."""
        distributed = _dask()
        cluster = None
        client = self.scheduler if isinstance(self.scheduler, distributed.Client) else None
        if client is None:
            if self.scheduler == "local":
                cluster = distributed.LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=self.processes,
                    dashboard_address=None,
                    silence_logs=50,
                )
                client = distributed.Client(cluster, set_as_default=False)
            else:
                client = _connect(distributed, self.scheduler)
            owned = True
        else:
            owned = False
        try:
            workers = len(client.scheduler_info().get("workers", {})) or self.workers
            window = self.window or 2 * workers
            shipped = client.scatter(space, broadcast=True, hash=False)
            pending: deque[tuple[tuple[Batch, ...], Any]] = deque()
            # Several batches per task: the scheduler's cost is per task (the batches, and so the results, are the
            # same as on every other executor).
            queue = iter([tuple(work[i : i + DASK_GROUP]) for i in range(0, len(work), DASK_GROUP)])

            def submit(group: tuple[Batch, ...]) -> None:
                pending.append((group, client.submit(_run_group, shipped, group, pure=False, retries=1)))

            for group in queue:
                submit(group)
                if len(pending) >= window:
                    break
            while pending:
                group, future = pending.popleft()
                try:
                    dones = future.result()
                except Exception:
                    # A worker died (KilledWorker) or the task could not run: each batch again on its own, halved
                    # until the worlds at fault are found; the rest keep their outcomes.
                    dones = [
                        isolate(
                            lambda part: client.submit(_run_scattered, shipped, part, pure=False).result(),
                            batch,
                            Exception,
                        )
                        for batch in group
                    ]
                finally:
                    future.release()
                yield from dones
                following = next(queue, None)
                if following is not None:
                    submit(following)
        finally:
            if owned:
                client.close()
                if cluster is not None:
                    cluster.close()


def resolve(executor: Any, workers: int | None, size: int) -> Any:
    """The executor a sweep uses: the one given, wrapped when it is only a ``map``; by default, a local pool (or
    this process when the sweep is small or one worker is asked for)."""
    if executor is None:
        if workers == 1 or (workers is None and size <= 2 * BATCH) or ((os.cpu_count() or 1) == 1 and workers is None):
            return InProcess()
        return LocalPool(workers)
    if isinstance(executor, InProcess | LocalPool | DaskExecutor | Mapped):
        return executor
    if isinstance(executor, str):
        return DaskExecutor(executor, workers=workers)
    if hasattr(executor, "map"):
        return Mapped(executor)
    raise TypeError(f"not an executor (it has no map): {executor!r}")
