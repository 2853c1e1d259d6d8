"""Command line: `python -m lamina info`.

`info` prints lamina's version, the configuration in force (and the file
it came from), and the engine with its device.
"""

import argparse
import sys


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


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lamina")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info", help="version, configuration and device")
    args = parser.parse_args(argv)
    if args.command == "info":
        return _info()
    return 2


if __name__ == "__main__":
    sys.exit(main())
