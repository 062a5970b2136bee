"""What every Python twin of a course scenario imports.

A twin is the Python program a Rust scenario reproduces. Run under real
Tornado, it prints each line as "[it=N] text", where N is the number of
polls the IOLoop has completed so far: the same count the Rust recorder
keeps (`[it=N]` in a recording). The conformance test compares these lines
with the `say!` lines of the Rust recording, one for one.

The counter wraps the loop's poller, so it adds no callbacks of its own and
cannot change the order it measures.
"""
import logging
import re
import sys
import warnings

warnings.simplefilter("ignore")

import tornado  # noqa: E402
from tornado.ioloop import IOLoop  # noqa: E402

VERSION = tornado.version
MAJOR = int(VERSION.split(".")[0])
_polls = [0]


def _count_polls(loop):
    if hasattr(loop, "_impl"):  # PollIOLoop: Tornado 3.x and 4.x
        impl = loop._impl

        class CountingPoller(object):
            def __getattr__(self, name):
                return getattr(impl, name)

            def poll(self, timeout):
                try:
                    return impl.poll(timeout)
                finally:
                    _polls[0] += 1

        loop._impl = CountingPoller()
    else:  # Tornado 6: the asyncio selector
        selector = loop.asyncio_loop._selector
        select = selector.select

        def counting_select(timeout=None):
            try:
                return select(timeout)
            finally:
                _polls[0] += 1

        selector.select = counting_select


def new_loop():
    """A fresh IOLoop, made current, whose polls are counted."""
    loop = IOLoop()
    if MAJOR < 6:
        loop.make_current()
    _count_polls(loop)
    return loop


def log(msg):
    """The twin's print: "[it=N] msg"."""
    print("[it=%d] %s" % (_polls[0], msg))
    sys.stdout.flush()


class _PrintLogs(logging.Handler):
    def emit(self, record):
        first = record.getMessage().splitlines()[0]
        if record.exc_info and record.exc_info[1] is not None:
            # Logged with exc_info=True: the exception comes in the
            # traceback; the Rust log line ends with it (": ValueError: x").
            exc = record.exc_info[1]
            first += ": %s: %s" % (type(exc).__name__, exc)
        # A future's repr holds its address; the Rust log names it f1, f2...
        # Both sides drop the name, so the line reads the same.
        first = re.sub(r"^Future <[^>]*> exception", "Future exception", first)
        # An exception class of Tornado's is reported with its module
        # (tornado.gen.TimeoutError); the Rust error's Display has the bare name.
        first = re.sub(r"\btornado\.\w+\.(\w+Error)\b", r"\1", first)
        print("[it=%d] LOG %s %s: %s" % (_polls[0], record.levelname, record.name, first))


def print_logs():
    """Print Tornado's log records as lines too (for scenarios that show them)."""
    root = logging.getLogger()
    root.handlers[:] = [_PrintLogs()]
    root.setLevel(logging.INFO)
