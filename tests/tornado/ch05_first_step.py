"""ch05_first_step: what calling a coroutine does before the loop runs.

The body runs up to its first yield inside the call; a body that never
yields returns a resolved future; an error before the first yield waits in
the future; callback= gets the result one iteration after it resolves; an
engine raises a first-step error to its caller.
"""
from tornado import gen
from tornado.concurrent import Future

from twin import *

loop = new_loop()


@gen.coroutine
def before_and_after(f):
    log("  body: before the first yield")
    x = yield f
    log("  body: after the yield, got %d" % x)
    raise gen.Return(x * 2)


@gen.coroutine
def never_yields():
    log("  never_yields: body runs")
    return 7


@gen.coroutine
def fails_at_once():
    raise ValueError("before any yield")
    yield


@gen.engine
def engine_fails_at_once():
    raise KeyError("engine")
    yield


def show(what, future):
    if not future.done():
        log("%s: pending" % what)
    elif future.exception() is not None:
        e = future.exception()
        log("%s: failed with %s: %s" % (what, type(e).__name__, e))
    else:
        log("%s: resolved to %r" % (what, future.result()))


def main():
    f = Future()
    log("calling before_and_after")
    a = before_and_after(f)
    show("before_and_after returned", a)
    log("calling never_yields")
    show("never_yields returned", never_yields())
    show("fails_at_once returned", fails_at_once())
    try:
        engine_fails_at_once()
    except KeyError as e:
        log("engine_fails_at_once raised KeyError: %s" % e)

    def callback(value):
        log("callback= got %r" % value)

    log("calling never_yields with callback=")
    never_yields(callback=callback)

    def resolve():
        log("resolving f")
        f.set_result(21)
        show("before_and_after", a)

    loop.add_callback(resolve)
    def finished(a):
        show("before_and_after", a)
        loop.stop()

    loop.add_future(a, finished)
    loop.start()


main()
