"""ch05_helpers: sleep, multi (list and dict), with_timeout, maybe_future.

Logs are not printed: with_timeout's log line names the future by its
address. The Rust recording shows it.
"""
from tornado import gen
from tornado.concurrent import Future

from twin import *

loop = new_loop()


def name(e):
    return "%s: %s" % (type(e).__name__, e)


def later(value):
    """A future resolved by a callback on the next iteration."""
    f = Future()
    loop.add_callback(lambda: f.set_result(value))
    return f


@gen.coroutine
def after(delay, value):
    """A coroutine that sleeps, then returns value."""
    yield gen.sleep(delay)
    raise gen.Return(value)


@gen.coroutine
def helpers():
    log("sleep(0.01)")
    yield gen.sleep(0.01)
    log("slept")

    a, b = Future(), Future()
    loop.add_callback(lambda: (log("b resolves first"), b.set_result("b")))
    loop.add_callback(lambda: (log("a resolves second"), a.set_result("a")))
    results = yield [a, b]
    log("multi of a list, in input order: %s" % ", ".join(results))

    d = yield {"x": later(1), "y": after(0.01, 2)}
    log("multi of a dict: x=%r y=%r" % (d["x"], d["y"]))

    c, e = Future(), Future()
    loop.add_callback(lambda: e.set_exception(TypeError("fails first")))
    loop.add_callback(lambda: c.set_exception(ValueError("fails second")))
    try:
        yield [c, e]
    except Exception as exc:
        log("multi raised the first failure in input order: %s" % name(exc))

    slow = Future()
    try:
        yield gen.with_timeout(loop.time() + 0.01, slow)
    except gen.TimeoutError as exc:
        log("with_timeout raised %s" % name(exc))
    log("the slow future is not cancelled: done=%s" % slow.done())
    slow.set_exception(ValueError("too late"))
    log("the slow future failed after the timeout (logged)")

    fast = yield gen.with_timeout(loop.time() + 10, gen.maybe_future(5))
    log("with_timeout of maybe_future(5): %r" % fast)
    raise gen.Return("done")


log("helpers() returned: %s" % loop.run_sync(helpers))
