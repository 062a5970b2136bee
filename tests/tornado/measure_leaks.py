"""What Tornado 4.5.3 keeps of coroutines the program let go of.

Run under Tornado 4.5.3 (Python 3): `python tests/tornado/measure_leaks.py [N]`.
Prints, for each case, the memory still live (tracemalloc) after the loop is
closed and `gc.collect()` ran, and how many Runners `gen._futures_to_runners`
still holds; then when the locals of abandoned coroutines are dropped.
The figures quoted in docs/reliability.md come from this program.
"""
import gc
import sys
import tracemalloc

from tornado import gen
from tornado.concurrent import Future
from tornado.ioloop import IOLoop

N = int(sys.argv[1]) if len(sys.argv) > 1 else 100000


def measure(name, case):
    gc.collect()
    runners0 = len(gen._futures_to_runners)
    base = tracemalloc.get_traced_memory()[0]
    case()
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    print("%s: %d coroutines; after close + gc.collect(): %d bytes live "
          "(%.1f per coroutine); Runners kept in _futures_to_runners: %d"
          % (name, N, after - base, (after - base) / float(N),
             len(gen._futures_to_runners) - runners0))


def with_timeout_case():
    """N coroutines waiting on a future nobody holds, abandoned by with_timeout."""
    io_loop = IOLoop()
    io_loop.make_current()

    @gen.coroutine
    def stuck():
        yield Future()

    @gen.coroutine
    def main():
        for _ in range(N):
            try:
                yield gen.with_timeout(io_loop.time() + 0.0001, stuck())
            except gen.TimeoutError:
                pass

    io_loop.run_sync(main)
    io_loop.close(all_fds=True)
    IOLoop.clear_current()


def sleep_case():
    """N coroutines pending on gen.sleep(1000), their futures dropped, at close."""
    io_loop = IOLoop()
    io_loop.make_current()

    @gen.coroutine
    def sleeper():
        yield gen.sleep(1000)

    futures = [sleeper() for _ in range(N)]
    del futures
    io_loop.close(all_fds=True)
    IOLoop.clear_current()


class Guard(object):
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print("  dropped: %s locals" % self.name)


def when_locals_go():
    """When the locals of an abandoned coroutine are dropped."""
    io_loop = IOLoop()
    io_loop.make_current()

    @gen.coroutine
    def waits_on_nothing():
        g = Guard("future-waiting")
        yield Future()

    @gen.coroutine
    def task_dropped():
        g = Guard("gen.Task")
        yield gen.Task(lambda callback: None)

    @gen.coroutine
    def yield_future():
        g = Guard("gen.YieldFuture")
        yield gen.YieldFuture(Future())

    @gen.coroutine
    def main():
        waits_on_nothing()
        task_dropped()
        yield_future()
        yield gen.sleep(0.01)
        gc.collect()
        print("  after gc.collect() in the loop")

    io_loop.run_sync(main)
    io_loop.close(all_fds=True)
    IOLoop.clear_current()
    gc.collect()
    print("  after close and gc.collect(): end of program")


tracemalloc.start()
measure("sleep(1000) at close", sleep_case)
measure("abandoned by with_timeout", with_timeout_case)
print("locals of abandoned coroutines:")
when_locals_go()
