"""The per-document work on a Dask cluster: ``namnd ingest --scheduler tcp://host:8786``.

Imported only when a scheduler is named; needs the extra ``pip install 'namnd[dask]'``
(on the machine that runs the command and on every worker machine).

What stays on this machine (the *client*): listing, hashing and planning, and storing
(:mod:`pipeline.ingest`), as without a cluster, so a document is stored once, by this
process, by its sha256, and a run killed at any moment leaves whole documents. What runs
on the cluster: reading, cleaning and extracting one document, returning its table rows
(or, for ``namnd extract``, its JSON).

* **Bytes, not paths.** The client reads each file and sends its bytes with the task, so
  the workers need nothing but namnd installed: no shared file system, no access to the
  archive. The bytes travel with the task through the scheduler, which keeps them until
  the task is done; so that a run never holds the whole archive in memory, at most
  :data:`WINDOW_PER_THREAD` tasks per worker thread, and :data:`WINDOW_BYTES` bytes of
  files (but at least one file), are submitted at a time; the next file is read and
  submitted when one is done.
* **A Pipeline per worker process**, built once: :class:`PipelinePlugin` is registered
  with the cluster and builds it when a worker starts (or when registered, on the workers
  already running), kept in the process for later runs; a task fetches it from its worker
  (:func:`distributed.get_worker`). A worker runs one document at a time, whatever its
  number of threads (they would share one Pipeline, and the work holds Python's lock
  anyway): start workers with ``--nthreads 1`` and as many processes as CPUs.
* **Several short documents to a task.** The scheduler's and the client's work is per
  task, a few milliseconds, as much as a short document's own; so a task holds as many
  documents as take about :data:`TASK_SECONDS` on a worker (by the times measured so far;
  one each until there are some). Each document's result is its own.
* **A lost worker**: the scheduler runs its tasks again on another worker. A task whose
  workers died more than the scheduler's ``distributed.scheduler.allowed-failures`` times
  (Dask's default 3; 1 is a good value for namnd) is given up by the scheduler; if it held
  several documents, each is sent again in a task of its own, so that only the one to
  blame fails, with a ``run`` failure (``worker died: …``) that the next run tries again.
  Tasks never raise (a document's error is returned as its failure), so they are
  submitted without retries.
* **Timeout**: a document that has run ``timeout`` seconds (counted from when its task
  started on its worker, which it reports) fails with reason ``timeout``, and its worker
  process is ended, so that the stuck thread goes with it; its nanny starts it again (the
  documents of a task of several go again one by one first). PDFs are stopped by the
  reader itself a little earlier (``NAMND_PDF_TIMEOUT``).
* The client's ``NAMND_*`` environment variables (the reader's limits, the options that
  set them) apply to the tasks, as they do to local workers.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
import uuid
import warnings
from collections import Counter, deque
from typing import Callable, Iterator, Optional, Sequence

from pipeline.ingest import IngestError, timeout_reason

#: tasks in flight per worker thread (one running, the next waiting beside it)
WINDOW_PER_THREAD = 2
#: a task holds as many short documents as take about this long (seconds) on a worker: the
#: scheduler's and this client's work is per task, a few milliseconds, as long as a short
#: document's own; the first tasks, before any time is known, hold one
TASK_SECONDS = 0.25
#: documents, and bytes, in one task at most
TASK_DOCUMENTS = 16
TASK_BYTES = 8 * 2**20
#: times a document is sent again whose workers died before it began on them
RESEND = 2
#: bytes of input files in flight at most (a larger file still goes, alone)
WINDOW_BYTES = 256 * 2**20
#: seconds to wait for the scheduler to answer, and for a first worker
CONNECT_TIMEOUT = 30.0

INSTALL_HINT = "--scheduler needs Dask: pip install 'namnd[dask]'"


def require() -> None:
    """Raise :class:`~pipeline.ingest.IngestError` with how to install Dask when it is missing."""
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise IngestError(INSTALL_HINT) from None


# -- on the workers ------------------------------------------------------------------------
#: Pipelines built in this (worker) process, by configuration: kept for later runs
_pipelines: dict[tuple, object] = {}
#: Pipelines built in this process (what the tests count)
BUILDS = 0
#: one document at a time per process: the Pipeline is not shared between threads
_work_lock = threading.Lock()
_build_lock = threading.Lock()


def _pipeline_for(key: tuple):
    """The Pipeline of configuration ``key`` (model, keep_personal_numbers), built on first use."""
    global BUILDS
    with _build_lock:
        pipe = _pipelines.get(key)
        if pipe is None:
            from pipeline.core import Pipeline
            from pipeline.prebuilt import warm_up

            model, keep = key
            pipe = Pipeline(model, keep_personal_numbers=keep)
            warm_up(pipe)  # what the stages load on first use, loaded now
            _pipelines[key] = pipe
            BUILDS += 1
        return pipe


def _plugin_name(key: tuple) -> str:
    model, keep = key
    return f"namnd-pipeline-{model or 'blank'}{'-keep' if keep else ''}"


try:
    from distributed import WorkerPlugin as _PluginBase
except ImportError:  # the module is still importable (for require() and the docs)
    _PluginBase = object  # type: ignore[assignment,misc]


class PipelinePlugin(_PluginBase):  # type: ignore[misc,valid-type]
    """Builds a worker's Pipeline once, when it starts or when the plugin is registered."""

    def __init__(self, key: tuple):
        self.key = key
        self.name = _plugin_name(key)
        self.pipeline = None

    async def setup(self, worker) -> None:
        # built in a thread: the worker's event loop goes on answering the scheduler
        self.pipeline = await asyncio.get_running_loop().run_in_executor(None, _pipeline_for, self.key)


def _task(items: list[tuple[bytes, str]], mode: str, key: tuple, topic: str, env: dict,
          processor: Optional[Callable] = None) -> list[tuple[str, object, float]]:
    """On a worker: for each document (its bytes and path), ("ok", rows or JSON) or
    ("failed", reason), with the seconds it took."""
    from distributed import get_worker

    from pipeline.ingest import _attempt

    worker = get_worker()
    plugin = worker.plugins.get(_plugin_name(key))
    with _work_lock:
        # it starts now: the client counts its timeout from here
        worker.log_event(topic, {"key": worker.get_current_task(), "worker": worker.address,
                                 "documents": len(items)})
        pipe = getattr(plugin, "pipeline", None) or _pipeline_for(key)
        saved = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
        try:
            out = []
            for item in items:
                began = time.perf_counter()
                kind, payload = _attempt(processor or _process_bytes, pipe, item, mode)
                out.append((kind, payload, time.perf_counter() - began))
            return out
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def _process_bytes(pipe, item: tuple[bytes, str], mode: str):
    from pipeline import emit

    data, path = item
    record = pipe.extract_bytes(data, path)
    return emit.record_rows(record) if mode == "rows" else record.model_dump_json()


# -- on the client -------------------------------------------------------------------------
def _task_environment(timeout: Optional[float]) -> dict[str, str]:
    """The environment a task runs with: one Tesseract per document (the workers share the
    machines' CPUs already), the PDF reader stopping a little before the timeout, and the
    client's own ``NAMND_*`` settings over both."""
    env = {"NAMND_OCR_WORKERS": "1"}
    if timeout:
        env["NAMND_PDF_TIMEOUT"] = f"{max(1.0, 0.9 * timeout):g}"
    env.update({k: v for k, v in os.environ.items() if k.startswith("NAMND_")})
    return env


def connect(scheduler: str):
    """A client of the scheduler at ``scheduler``, once it has a worker; IngestError when it cannot be."""
    require()
    from distributed import Client

    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise IngestError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    try:
        client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise IngestError(f"the Dask scheduler at {scheduler} has no workers ({exc})") from None
    return client


def run_cluster(paths: Sequence[str], scheduler, *, model: Optional[str] = None, timeout: Optional[float] = None,
                mode: str = "rows", stats: Optional[list] = None, processor: Optional[Callable] = None,
                keep_personal_numbers: bool = False, heartbeat: Optional[float] = None
                ) -> Iterator[Optional[tuple[int, str, object]]]:
    """:func:`pipeline.ingest.run_pool` on a Dask cluster: yield ``(index, "ok"|"failed",
    payload)`` for every path exactly once, as they finish (and ``None`` when ``heartbeat``
    seconds passed without one). ``scheduler``: its address, or a connected
    :class:`distributed.Client` (left open). ``processor(pipeline, (data, path), mode) ->
    payload`` replaces the work per document (a module-level function the workers can
    import). Per-worker figures (address, documents started) are appended to ``stats``.
    The tasks of this run are cancelled however it ends."""
    if not paths:
        return
    from distributed import as_completed

    from pipeline import prebuilt
    from pipeline.inputs import display_path
    from pipeline.read import ReadError, read_file_bytes

    own_client = isinstance(scheduler, str)
    client = connect(scheduler) if own_client else scheduler
    key = prebuilt.key(model, keep_personal_numbers)
    run = uuid.uuid4().hex[:12]
    topic = f"namnd-started-{run}"
    env = _task_environment(timeout)
    started: dict[str, tuple[float, str]] = {}  # task key → (when it last started, on which worker)
    starts: dict[str, int] = {}  # task key → how often it started (more than once: a worker died under it)
    per_worker: dict[str, int] = {}

    def on_start(event) -> None:  # in the client's event loop thread
        msg = event[1]
        started[msg["key"]] = (time.monotonic(), msg["worker"])
        starts[msg["key"]] = starts.get(msg["key"], 0) + 1
        per_worker[msg["worker"]] = per_worker.get(msg["worker"], 0) + msg.get("documents", 1)

    pending = deque(range(len(paths)))
    alone: set[int] = set()  # documents whose task of several failed: each goes in a task of its own
    resent: Counter[int] = Counter()  # a document sent again after its workers died before it began
    in_flight: dict = {}  # future → (its documents' indexes, their bytes)
    flight_bytes = 0
    mean_seconds: Optional[float] = None  # a document's time on a worker, a moving average
    tasks = 0
    ac = as_completed(loop=client.loop, with_results=False, raise_errors=False)

    def next_task(done: list) -> tuple[list[int], list[tuple[bytes, str]]]:
        """The next task's documents (read now): several short ones, or one."""
        most = 1 if mean_seconds is None else max(1, min(TASK_DOCUMENTS, int(TASK_SECONDS / max(mean_seconds, 1e-3))))
        indexes: list[int] = []
        items: list[tuple[bytes, str]] = []
        size = 0
        while pending and len(indexes) < most and size < TASK_BYTES:
            index = pending[0]
            if index in alone and indexes:
                break
            pending.popleft()
            try:
                data = read_file_bytes(paths[index], max_bytes=2**63 - 1)
            except ReadError as exc:
                done.append((index, "failed", exc.reason))
                continue
            indexes.append(index)
            items.append((data, display_path(paths[index])))
            size += len(data)
            if index in alone:
                break
        return indexes, items

    def split(indexes: list[int]) -> None:
        """A task of several documents that failed as a whole: each goes again on its own."""
        alone.update(indexes)
        pending.extendleft(reversed(indexes))

    try:
        try:
            client.register_plugin(PipelinePlugin(key), name=_plugin_name(key))
        except Exception as exc:  # noqa: BLE001 - raised on a worker: the run cannot go on
            raise IngestError(f"a Dask worker could not build the pipeline: {type(exc).__name__}: {exc}") from None
        client.subscribe_topic(topic, on_start)
        window = max(2, WINDOW_PER_THREAD * sum(client.nthreads().values()))
        last_yield = time.monotonic()
        while pending or in_flight:
            done: list[tuple[int, str, object]] = []
            # submit while the window has room (one task at least, however large)
            while pending and len(in_flight) < window and (not in_flight or flight_bytes < WINDOW_BYTES):
                indexes, items = next_task(done)
                if not indexes:
                    continue
                size = sum(len(data) for data, _ in items)
                tasks += 1
                with warnings.catch_warnings():  # "large object in the task": on purpose, see above
                    warnings.simplefilter("ignore", UserWarning)
                    future = client.submit(_task, items, mode, key, topic, env, processor,
                                           key=f"namnd-{run}-{tasks}", pure=False, retries=0)
                in_flight[future] = (indexes, size)
                flight_bytes += size
                ac.add(future)
            for future in _finished(ac, _wait_seconds(heartbeat, timeout, last_yield) if not done else 0.0):
                if future not in in_flight:  # cancelled after its timeout, already dealt with
                    continue
                indexes, size = in_flight.pop(future)
                flight_bytes -= size
                results = _results(future, len(indexes), starts.get(future.key, 0), client)
                future.release()
                if results is None:
                    # lost with its workers: a task of several (each goes again on its own, so
                    # that only the one to blame fails), or one that never began on them (sent
                    # to a worker that died of another task before it got to this one)
                    if len(indexes) == 1:
                        resent[indexes[0]] += 1
                        if resent[indexes[0]] > RESEND:
                            done.append((indexes[0], "failed", "worker died: the Dask workers it was sent to "
                                         f"died {RESEND + 1} times before it began"))
                            continue
                    split(indexes)
                    continue
                for index, (kind, payload, seconds) in zip(indexes, results):
                    done.append((index, kind, payload))
                    if seconds is not None:
                        mean_seconds = seconds if mean_seconds is None else 0.8 * mean_seconds + 0.2 * seconds
            if timeout:
                now = time.monotonic()
                for future, (indexes, size) in list(in_flight.items()):
                    began = started.get(future.key)
                    limit = timeout + (len(indexes) - 1) * (mean_seconds or 0.0)
                    if began is not None and now - began[0] > limit and not future.done():
                        del in_flight[future]
                        flight_bytes -= size
                        future.cancel()
                        if len(indexes) > 1:
                            split(indexes)
                        else:
                            done.append((indexes[0], "failed", timeout_reason(timeout)))
                        _restart(client, began[1])
            if done:
                last_yield = time.monotonic()
                yield from done
            elif heartbeat and time.monotonic() - last_yield >= heartbeat:
                last_yield = time.monotonic()
                yield None
    finally:
        if in_flight:
            try:
                client.cancel(list(in_flight))
            except Exception:  # noqa: BLE001 - the connection may be gone already
                pass
        try:
            client.unsubscribe_topic(topic)
        except Exception:  # noqa: BLE001
            pass
        if stats is not None:
            stats.extend({"worker": w, "documents": n} for w, n in sorted(per_worker.items()))
        if own_client:
            client.close()


def _wait_seconds(heartbeat: Optional[float], timeout: Optional[float], last_yield: float) -> float:
    """How long to wait for a task to finish before looking at the clock again."""
    wait = 1.0
    if heartbeat:
        wait = min(wait, max(0.0, last_yield + heartbeat - time.monotonic()))
    if timeout:
        wait = min(wait, timeout / 4)
    return wait


def _finished(ac, seconds: float) -> list:
    """The futures done now, or within ``seconds`` (perhaps none)."""
    end = time.monotonic() + seconds
    # as_completed notifies this condition for every future it sees finish (checked under
    # it, so that a notice is never missed); without it, a short poll
    condition = getattr(ac, "thread_condition", None)
    while not ac.has_ready() and not ac.is_empty():
        left = end - time.monotonic()
        if left <= 0:
            break
        if condition is None:
            time.sleep(min(0.002, left))
            continue
        with condition:
            if not ac.has_ready():
                condition.wait(left)
    return ac.next_batch(block=False)


def _results(future, documents: int, starts: int, client) -> Optional[list[tuple[str, object, Optional[float]]]]:
    """Each document's (kind, payload, seconds) of a finished task. A task whose workers all
    died (``starts``: how often it was seen to begin): a failure of kind ``run`` for its one
    document, or None for a task of several (they go again one by one, so that the one to
    blame is found) and for one that never began (the scheduler counts a task sent to a
    worker against it when the worker dies, though it was waiting behind another). The
    connection to the scheduler lost ends the run."""
    from distributed import KilledWorker

    if future.status == "finished":
        return future.result()
    if future.status == "cancelled" or client.status not in ("running", "connecting"):
        raise IngestError("lost the Dask scheduler: the documents stored so far are complete; run again to finish")
    exc = future.exception()
    if isinstance(exc, KilledWorker):
        if documents > 1 or starts == 0:
            return None
        try:
            died = int(exc.allowed_failures) + 1
        except (TypeError, ValueError, IndexError):
            died = max(starts, 1)
        reason = (f"worker died: {died} Dask worker(s) died while on this document "
                  f"(the scheduler's allowed-failures is {died - 1}; the next run tries it again)")
    else:
        reason = f"worker died: the task failed on the cluster: {type(exc).__name__}: {exc}"
    return [("failed", reason, None)] * documents


def _restart(client, worker: str) -> None:
    """End a worker whose task is stuck (Dask cannot stop a running task): its process
    exits at once, and its nanny starts it again (a worker without one is gone); the
    tasks it held go to other workers."""
    try:
        # run in the worker's event loop, which answers while the task's thread is stuck; the
        # answer never comes (the process is gone), which the scheduler reports at once
        client.run(os._exit, 1, workers=[worker], on_error="ignore")
    except Exception:  # noqa: BLE001 - gone already
        pass
