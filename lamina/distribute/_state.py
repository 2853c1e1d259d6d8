"""Which distribution is in force, and the process queries built on it.

Kept free of engine imports: `lamina.trainers` imports this module, so
`import lamina` must stay cheap. The engine side is loaded only when a
`DataParallel` is created (explicitly, or detected under `torchrun`).
"""

import contextlib
import os

_UNSET = object()
_global = _UNSET    # set by set_distribution (None: explicitly off)
_scopes = []        # DataParallel.scope() blocks, innermost last
_detected = None    # the DataParallel made for a torchrun launch


class DistributedError(RuntimeError):
    """A collective operation between processes failed: a peer process
    died, hung past the process-group timeout, or the processes disagree
    (different models or numbers of batches)."""


def set_distribution(value):
    """Sets the distribution that `fit`, `evaluate` and `predict` use.

    As Keras 3's `keras.distribution.set_distribution`. Under `torchrun`
    (WORLD_SIZE > 1) a `DataParallel` is made for you on the first `fit`;
    `set_distribution(None)` turns that off and trains each process on its
    own.

    Args:
        value: a `lamina.distribute.DataParallel`, or None.

    Example:

    >>> import lamina
    >>> lamina.distribute.set_distribution(None)
    >>> lamina.distribute.distribution() is None
    True
    """
    from lamina.distribute.data_parallel import DataParallel
    if value is not None and not isinstance(value, DataParallel):
        raise TypeError(f"set_distribution: expected a "
                        f"lamina.distribute.DataParallel or None, got "
                        f"{value!r}.")
    global _global
    previous = _known()
    _global = value
    if previous is not None and previous is not value:
        previous._deactivate()
    if value is not None:
        value._activate()


def distribution():
    """The distribution in force: the innermost `DataParallel.scope()`,
    else the one given to `set_distribution`, else (torch backend under
    `torchrun` with WORLD_SIZE > 1) one detected from the environment,
    else None."""
    if _scopes:
        return _scopes[-1]
    if _global is not _UNSET:
        return _global
    return _detect()


def _detect():
    global _detected
    if _detected is None and _launched_world() > 1:
        from lamina import backend
        if backend.backend() == "torch":
            from lamina.distribute.data_parallel import DataParallel
            _detected = DataParallel()
            _detected._activate()
    return _detected


def _launched_world():
    try:
        return int(os.environ.get("WORLD_SIZE", "1"))
    except ValueError:
        return 1


@contextlib.contextmanager
def _scope(strategy):
    strategy._activate()
    _scopes.append(strategy)
    try:
        yield strategy
    finally:
        _scopes.pop()


def for_model(model):
    """The distribution `fit`/`evaluate`/`predict` use for `model`: the one
    in force when it was compiled, else the one in force now."""
    strategy = getattr(model, "_distribution", None)
    return strategy if strategy is not None else distribution()


def explicit():
    """The distribution set by a scope or `set_distribution`, else None
    (what `compile` records on the model)."""
    if _scopes:
        return _scopes[-1]
    return None if _global is _UNSET else _global


def _known():
    """The distribution in force, without detecting one."""
    if _scopes:
        return _scopes[-1]
    if _global is not _UNSET:
        return _global
    return _detected


def rank():
    """This process's rank: 0 on a single process; under `torchrun`, its
    RANK (before or after the process group starts)."""
    strategy = _known()
    if strategy is not None:
        return strategy.rank
    try:
        return int(os.environ.get("RANK", "0"))
    except ValueError:
        return 0


def world_size():
    """The number of data-parallel replicas: processes under
    torch.distributed, devices in the mesh on JAX; 1 otherwise."""
    strategy = _known()
    if strategy is not None:
        return strategy.num_replicas
    return max(_launched_world(), 1)


def chief_writes(write):
    """Runs `write()` on rank 0 only; every rank returns once it is done,
    so a file the chief writes exists when any rank goes on (inside
    `chief_alone()`, where the other ranks don't call it, no waiting)."""
    if is_chief():
        write()
    strategy = _known()
    if strategy is not None and strategy.num_replicas > 1 and \
            not _chief_alone:
        strategy._barrier()


_chief_alone = []


@contextlib.contextmanager
def chief_alone():
    """Marks code that only rank 0 runs (a callback that writes files):
    saves in it don't wait for the other ranks."""
    _chief_alone.append(True)
    try:
        yield
    finally:
        _chief_alone.pop()


def is_chief():
    """Whether this process prints and writes files (rank 0).

    Example:

    >>> import lamina
    >>> lamina.distribute.is_chief()
    True
    """
    return rank() == 0
