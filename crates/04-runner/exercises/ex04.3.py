"""ex04.3's program, `two_runners` in tests/exercises.rs, under real Tornado.

Run it with Tornado 4.5.3 to check a prediction (or the key):
    python crates/04-runner/exercises/ex04.3.py
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "tornado"))
from twin import *  # noqa: E402,F403
from tornado import gen  # noqa: E402
from tornado.concurrent import Future  # noqa: E402

loop = new_loop()


def start(g):
    result = Future()
    gen.Runner(g, result, next(g))
    return result


def a_body(pending):
    log("A starts, waits on the pending future")
    x = yield pending
    log("A got %d, waits one moment" % x)
    yield gen.moment
    log("A returns %d" % (x + 1))
    raise gen.Return(x + 1)


def b_body(a):
    log("B starts, waits on A")
    y = yield a
    done = Future()
    done.set_result(10)
    z = yield done
    log("B got %d from A and %d from a done future" % (y, z))
    raise gen.Return(y + z)


def main():
    log("main starts")
    pending = Future()
    a = start(a_body(pending))
    b = start(b_body(a))

    def resolve():
        log("a callback resolves the pending future")
        pending.set_result(1)

    loop.add_callback(resolve)

    def done(f):
        log("B's result future resolved: %d" % f.result())
        loop.stop()

    b.add_done_callback(done)
    log("main ends")


loop.add_callback(main)
loop.start()
