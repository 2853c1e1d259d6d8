"""Command line: `python -m lamina info` and `python -m lamina run SCRIPT`.

`info` prints lamina's version, the configuration in force (and the file
it came from), and the engine with its device.

`run SCRIPT.py [args...]` runs an unmodified Keras program on lamina: its
`import keras` (every `keras.*` module path of every era, and
`tensorflow.keras` where TensorFlow is not installed) imports lamina,
`sys.argv` is `[SCRIPT.py, *args]`, `sys.path[0]` is the script's folder,
and the exit status and traceback are what running the script directly
would give. `run -m MODULE [args...]` runs a module the same way.
`KERAS_BACKEND=torch|jax|numpy` chooses lamina's backend unless
`LAMINA_BACKEND` is set.
"""

import argparse
import os
import runpy
import subprocess
import sys

_RUN_USAGE = ("usage: python -m lamina run SCRIPT.py [args...]\n"
              "       python -m lamina run -m MODULE [args...]")


def _info():
    import lamina
    from lamina import config
    from lamina.ops._bind import B
    print(f"lamina {lamina.__version__}")
    print(f"config: {config.path()}")
    for key, value in lamina.backend.settings().items():
        print(f"  {key}: {value}")
    engine = sys.modules.get(B.name)
    version = getattr(engine, "__version__", "") if engine else ""
    print(f"backend: {B.name} {version}".rstrip())
    print(f"device: {B.get_device()}")
    return 0


def _restart_for_keras_backend(argv):
    """Runs this command again under the backend `KERAS_BACKEND` names,
    when that is not the one lamina started on; None if not needed."""
    from lamina import backend
    from lamina.legacy import aliases
    choice = aliases.keras_backend_choice()
    if choice is None or choice == backend.backend():
        return None
    env = dict(os.environ, LAMINA_BACKEND=choice)
    # The backend is chosen when lamina is imported, which `python -m
    # lamina` has already done: a fresh process is the only way to switch.
    command = [sys.executable, *subprocess._args_from_interpreter_flags(),
               "-m", "lamina", *argv]
    if os.name == "nt":
        return subprocess.call(command, env=env)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, command, env)


def _print_traceback(exc):
    """Prints `exc` as Python would for the script: without the frames of
    this command and of runpy."""
    tb = exc.__traceback__
    here = os.path.abspath(__file__)
    while tb is not None and (
            os.path.abspath(tb.tb_frame.f_code.co_filename) == here or
            tb.tb_frame.f_globals.get("__name__") == "runpy"):
        tb = tb.tb_next
    # The default hook prints `exc.__traceback__`, not its `tb` argument.
    exc = exc.with_traceback(tb)
    sys.excepthook(type(exc), exc, tb)


def _run(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(_RUN_USAGE, file=sys.stdout if argv else sys.stderr)
        return 0 if argv else 2
    if argv[0] == "-m" and len(argv) < 2:
        print(f"{_RUN_USAGE}\npython -m lamina run: -m needs a module name",
              file=sys.stderr)
        return 2
    restarted = _restart_for_keras_backend(["run", *argv])
    if restarted is not None:
        return restarted
    if argv[0] == "-m":
        module = argv[1]
        sys.argv = [module, *argv[2:]]  # runpy puts the file in argv[0]
        sys.path[0] = os.getcwd()

        def run():
            runpy.run_module(module, run_name="__main__", alter_sys=True)
    else:
        script = argv[0]
        if not os.path.exists(script):
            print(f"python -m lamina run: can't open file "
                  f"{os.path.abspath(script)!r}: [Errno 2] No such file or "
                  f"directory", file=sys.stderr)
            return 2
        sys.argv = [script, *argv[1:]]
        sys.path[0] = os.path.dirname(os.path.realpath(script))

        def run():
            runpy.run_path(os.path.abspath(script), run_name="__main__")
    from lamina.legacy import aliases
    aliases.install()
    try:
        run()
    except (SystemExit, KeyboardInterrupt):
        raise
    except BaseException as exc:  # noqa: BLE001 - as Python's own top
        _print_traceback(exc)
        return 1
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "run":
        # Everything after the script belongs to the script, so `run` is
        # parsed by hand rather than by argparse.
        return _run(argv[1:])
    parser = argparse.ArgumentParser(prog="python -m lamina")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info", help="version, configuration and device")
    commands.add_parser("run", add_help=False,
                        help="run a Keras program on lamina: "
                             "run SCRIPT.py [args...]")
    args = parser.parse_args(argv)
    if args.command == "info":
        return _info()
    return 2


if __name__ == "__main__":
    sys.exit(main())
