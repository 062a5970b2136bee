# A failed future and a bad yield are thrown into the generator.
# Twin of the Rust scenario ch04_errors_thrown_in.
import contextvars

from twin import *
from tornado import gen
from tornado.concurrent import Future

loop = new_loop()


def body(failing):
    try:
        yield failing
        log("not reached")
    except Exception as e:
        log("caught: %s: %s" % (type(e).__name__, e.args[0]))
    try:
        yield 42
    except gen.BadYieldError as e:
        log("caught: BadYieldError: %s" % e)
    log("now raising")
    raise ValueError("from the body")


def main():
    failing = Future()
    result = Future()
    g = body(failing)
    if MAJOR >= 6:
        # 6.x's Runner also takes the function that runs each step in the
        # coroutine's contextvars context (what @gen.coroutine passes).
        gen.Runner(contextvars.copy_context().run, g, result, next(g))
    else:
        gen.Runner(g, result, next(g))

    def fail():
        log("failing the future")
        failing.set_exception(KeyError("'missing'"))
    loop.add_callback(fail)

    def done(f):
        e = f.exception()
        log("result future failed: %s: %s" % (type(e).__name__, e))
        loop.stop()
    result.add_done_callback(done)


loop.add_callback(main)
loop.start()
