"""A plain-text progress bar for long management commands (data generation, imports).

Written to stderr so that a command's report on stdout stays clean for scripts; redrawn in
place on a terminal, one line per step otherwise (logs, CI), at most every ``every`` items.
"""

import sys
import time


class Progress:
    def __init__(self, total, label="", *, stream=None, width=30, every=None):
        self.total = max(int(total), 0)
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.every = every or max(self.total // 20, 1)
        self.done = 0
        self.started = time.monotonic()
        self._last_drawn = -1
        self._tty = getattr(self.stream, "isatty", lambda: False)()

    @property
    def elapsed(self):
        return time.monotonic() - self.started

    def advance(self, n=1):
        self.done = min(self.done + n, self.total) if self.total else self.done + n
        if self.done - self._last_drawn >= self.every or self.done == self.total:
            self._draw()

    def _draw(self):
        self._last_drawn = self.done
        fraction = self.done / self.total if self.total else 1
        filled = round(self.width * fraction)
        bar = "#" * filled + "-" * (self.width - filled)
        rate = self.done / self.elapsed if self.elapsed else 0
        line = (
            f"{self.label} [{bar}] {self.done:,}/{self.total:,} {self.elapsed:6.1f}s {rate:,.0f}/s"
        )
        self.stream.write(("\r" + line) if self._tty else line + "\n")
        self.stream.flush()

    def close(self):
        if self._last_drawn != self.done:
            self._draw()
        if self._tty:
            self.stream.write("\n")
            self.stream.flush()
