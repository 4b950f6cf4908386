"""Extraction on a Dask cluster: ``hrkg build --cluster tcp://HOST:8786``.

The client (the machine that owns the store) reads the corpus, sends it to
the workers in batches of articles, and writes the graphs that come back,
in batched transactions as a local build does (:mod:`kg.ingest`).  Each
worker loads the pipeline once (:func:`kg.parallel.worker_pipeline`) and
runs the same extraction as a local build, so the stored quads are the same.

Over the wire go the articles of a batch (text and metadata, pickled) and,
back, each article's graph as N-Triples text with a few counts.  At most
two batches per worker thread are in flight, so the client's memory does
not grow with the corpus.  Workers need hrkg and its model installed
(``pip install 'hrkg[cluster]'``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING

from kg.errors import HrkgError
from kg.extract.pipeline import DEFAULT_MODEL
from kg.parallel import Batch, Failure, Result, Runner, extract_articles, windowed

if TYPE_CHECKING:
    from distributed import Client, Future

CONNECT_TIMEOUT = 5.0  # seconds to reach the scheduler (refused connections are retried)
WORKERS_TIMEOUT = 60.0  # seconds to wait for a first worker


def _distributed() -> ModuleType:
    """The ``distributed`` module, imported only when a cluster is used."""
    try:
        import distributed
    except ImportError:
        raise HrkgError("--cluster needs Dask: pip install 'hrkg[cluster]'") from None
    return distributed


def connect(address: str, timeout: float = CONNECT_TIMEOUT) -> Client:
    """A Dask client of the scheduler at ``address`` (``tcp://HOST:8786``).

    Raises
    ------
    HrkgError
        If Dask is not installed or no scheduler answers within ``timeout`` seconds.
    """
    distributed = _distributed()
    try:
        return distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise HrkgError(
            f"cannot reach the Dask scheduler at {address} ({reason}); "
            "start one with `dask scheduler` and give its tcp://HOST:8786 address"
        ) from None


def worker_threads(client: Client, timeout: float = WORKERS_TIMEOUT) -> int:
    """How many worker threads the cluster has, after waiting for at least one worker."""
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise HrkgError(
            f"no Dask worker joined the scheduler {client.scheduler.address} within "
            f"{timeout:.0f} s; start some with `dask worker {client.scheduler.address}`"
        ) from None
    return max(sum(client.nthreads().values()), 1)


def _retry_singly(client: Client, batch: Batch, model: str, verify: bool | None) -> list[Result]:
    """Run each article of a failed batch as its own task; report those that fail again."""
    futures = [client.submit(extract_articles, [a], model, verify, pure=False) for a in batch]
    results: list[Result] = []
    for article, future in zip(batch, futures, strict=True):
        try:
            results.extend(future.result())
        except HrkgError:
            raise
        except Exception as exc:
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())
            results.append(
                Failure(f"{article.source}: article {article.id!r}: worker failed: {reason}")
            )
    return results


@contextmanager
def cluster_runner(
    cluster: str | Client,
    model: str = DEFAULT_MODEL,
    verify: bool | None = None,
    *,
    window: int | None = None,
) -> Iterator[Runner]:
    """A runner extracting on the Dask cluster ``cluster`` (an address or a ``Client``).

    Parameters
    ----------
    window : most batches in flight (two per worker thread by default).

    Raises
    ------
    HrkgError
        If the scheduler cannot be reached or has no workers.
    """
    own = isinstance(cluster, str)
    client = connect(cluster) if isinstance(cluster, str) else cluster
    try:
        window = window or 2 * worker_threads(client)

        def submit(batch: Batch) -> Future:
            return client.submit(extract_articles, batch, model, verify, pure=False)

        def collect(batch: Batch, future: Future) -> list[Result]:
            try:
                return future.result()
            except HrkgError:  # the model is missing on a worker: no article can succeed
                raise
            except Exception:  # a worker died, or the batch failed as a whole
                return _retry_singly(client, batch, model, verify)

        def run(batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[Result]]]:
            yield from windowed(batches, submit, collect, window, client.cancel)

        yield run
    finally:
        if own:
            client.close()
