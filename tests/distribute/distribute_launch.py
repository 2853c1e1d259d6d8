"""Helpers for the multi-process tests: free ports, environments, runs."""

import os
import socket
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
# Generous bounds: the machine running the tests may be busy. A run that
# hangs (a collective with no timeout) is what these bounds catch.
RUN_TIMEOUT = 240


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(backend, **extra):
    env = dict(os.environ)
    for key in ("RANK", "LOCAL_RANK", "WORLD_SIZE", "MASTER_ADDR",
                "MASTER_PORT", "XLA_FLAGS"):
        env.pop(key, None)
    env.update(LAMINA_BACKEND=backend, OMP_NUM_THREADS="1",
               PYTHONPATH=os.pathsep.join(
                   p for p in (ROOT, env.get("PYTHONPATH")) if p))
    env.update({k: str(v) for k, v in extra.items()})
    return env


def torchrun(script, *args, nproc=2, **env):
    """Runs `script` under `python -m torch.distributed.run`."""
    command = [sys.executable, "-m", "torch.distributed.run",
               f"--nproc_per_node={nproc}", f"--master_port={free_port()}",
               str(script), *map(str, args)]
    return subprocess.run(command, check=False,
                          env=environment("torch", **env),
                          capture_output=True, text=True,
                          timeout=RUN_TIMEOUT)


def processes(script, *args, nproc=2, **env):
    """Starts `nproc` ranks of `script` with the variables torchrun sets,
    without torchrun (which would stop the others itself when one dies);
    returns `[(returncode, stdout, stderr), ...]` by rank."""
    port = free_port()
    procs = [subprocess.Popen(
        [sys.executable, str(script), *map(str, args)],
        env=environment("torch", RANK=r, LOCAL_RANK=r, WORLD_SIZE=nproc,
                        MASTER_ADDR="127.0.0.1", MASTER_PORT=port, **env),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for r in range(nproc)]
    out = []
    try:
        for p in procs:
            stdout, stderr = p.communicate(timeout=RUN_TIMEOUT)
            out.append((p.returncode, stdout, stderr))
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    return out
