"""ch02_future_api: done, result, exception, before and after the future is done.

No IOLoop: Tornado 4.5.3's Future runs its callbacks without one. (A second
set_result is ch02_double_set, which only the Rust side runs: 4.5.3 does not
refuse it, the course does.)

Under Tornado 6.x the Future is asyncio's: it has no running(), so the two
lines that print it print only done=; result() and exception() of a pending
future raise InvalidStateError; and cancel() really cancels (returns True), so
6.x cancels a second, throwaway future and f goes on to set_result(42).
"""
from tornado.concurrent import Future

from twin import *


def describe(name, call):
    """Print what `call()` returned, or the exception it raised, Python-style."""
    try:
        value = call()
    except Exception as e:
        log("%s raised %s: %s" % (name, type(e).__name__, e))
    else:
        if isinstance(value, Exception):
            log("%s returned %s: %s" % (name, type(value).__name__, value))
        else:
            log("%s returned %r" % (name, value))



def state(f):
    """done= and running=; 6.x's (asyncio) Future has no running()."""
    if MAJOR >= 6:
        return "done=%s" % f.done()
    return "done=%s running=%s" % (f.done(), f.running())


f = Future()
log("new future: " + state(f))
describe("result()", f.result)
describe("exception()", f.exception)
if MAJOR >= 6:
    # 6.x: cancel() cancels, and a cancelled f could not be set below.
    c = Future()
    log("cancel() of another future returned %s, cancelled() returns %s" % (c.cancel(), c.cancelled()))
else:
    log("cancel() returned %s, cancelled() returns %s" % (f.cancel(), f.cancelled()))

f.set_result(42)
log("after set_result(42): " + state(f))
describe("result()", f.result)
describe("exception()", f.exception)

g = Future()
g.set_exception(ValueError("bad"))
log("after set_exception: done=%s" % g.done())
describe("result()", g.result)
describe("exception()", g.exception)
