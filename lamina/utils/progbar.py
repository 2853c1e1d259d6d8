"""`Progbar`: a Keras-style progress bar that never slows training.

On a terminal the bar redraws in place at most every `interval` seconds;
only then are the logged values (engine scalars) read, so a fast step loop
is not forced to wait for the device every step. When output is a file or
a pipe, or with `verbose=2`, it prints one line when the epoch ends.
"""

import math
import sys
import time

import numpy as np


def to_float(value):
    """A logged value (engine scalar, NumPy, or number) as a float."""
    if isinstance(value, (int, float)):
        return float(value)
    from lamina.ops._bind import B
    return float(np.asarray(B.convert_to_numpy(value)).reshape(-1)[0])


def _format_time(seconds):
    if seconds >= 3600:
        return f"{int(seconds // 3600)}:{int(seconds % 3600 // 60):02d}:" \
               f"{int(seconds % 60):02d}"
    if seconds >= 60:
        return f"{int(seconds // 60)}:{int(seconds % 60):02d}"
    return f"{int(round(seconds))}s"


def _format_per_step(seconds):
    if seconds >= 1:
        return f"{seconds:.0f}s/step"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.0f}ms/step"
    return f"{seconds * 1e6:.0f}us/step"


def _format_value(value):
    v = to_float(value)
    if v != 0 and (abs(v) >= 1e4 or abs(v) < 1e-3):
        return f"{v:.4e}"
    return f"{v:.4f}"


class Progbar:
    """Displays a progress bar.

    Args:
        target: total number of steps, or None if unknown.
        width: width of the bar in characters.
        verbose: 1 for a live bar (one line per epoch when not on a
            terminal), 2 for one line per epoch, 0 for silence.
        interval: minimum seconds between redraws.
        stream: where to write (default sys.stdout).
    """

    def __init__(self, target, width=30, verbose=1, interval=0.1,
                 stream=None):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.stream = stream or sys.stdout
        self.live = verbose == 1 and _is_terminal(self.stream)
        self.start = time.perf_counter()
        self.last_draw = 0.0
        self.current = 0
        self.last_width = 0

    def update(self, current, logs=None, finalize=False):
        self.current = current
        if not self.verbose:
            return
        now = time.perf_counter()
        if finalize or (self.live and now - self.last_draw >= self.interval):
            self.last_draw = now
            self._draw(current, logs, finalize, now)

    def finish(self, logs=None):
        self.update(self.current if self.target is None else self.target,
                    logs, finalize=True)

    def _draw(self, current, logs, finalize, now):
        elapsed = now - self.start
        target = self.target
        if target is not None:
            digits = int(math.log10(max(target, 1))) + 1
            count = f"{current:>{digits}}/{target}"
            done = int(self.width * min(current, target) / max(target, 1))
            if done >= self.width:
                bar = "=" * self.width
            else:
                bar = "=" * done + ">" + "." * (self.width - done - 1)
            text = f"{count} [{bar}]"
        else:
            text = f"{current}"
        per_step = elapsed / max(current, 1)
        if finalize or target is None:
            text += f" - {_format_time(elapsed)} {_format_per_step(per_step)}"
        else:
            text += f" - ETA: {_format_time(per_step * (target - current))}"
        for key, value in (logs or {}).items():
            text += f" - {key}: {_format_value(value)}"
        if self.live:
            pad = max(self.last_width - len(text), 0)
            self.stream.write("\r" + text + " " * pad)
            self.last_width = len(text)
            if finalize:
                self.stream.write("\n")
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def _is_terminal(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
