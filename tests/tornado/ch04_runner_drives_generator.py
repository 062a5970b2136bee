# A Runner drives a generator: a pending future costs one hop, a done one none.
# Twin of the Rust scenario ch04_runner_drives_generator.
import contextvars

from twin import *
from tornado import gen
from tornado.concurrent import Future

loop = new_loop()


def start(g):
    # What @gen.coroutine does (chapter 05): first step inline, then a Runner.
    result = Future()
    if MAJOR >= 6:
        # 6.x's Runner also takes the function that runs each step in the
        # coroutine's contextvars context (what @gen.coroutine passes).
        gen.Runner(contextvars.copy_context().run, g, result, next(g))
    else:
        gen.Runner(g, result, next(g))
    return result


def body(pending):
    log("body starts")
    x = yield pending
    log("got %s (one hop after set_result)" % x)
    done = Future()
    done.set_result(10)
    y = yield done
    log("got %s (already done: no hop)" % y)
    yield gen.moment
    log("after a moment (one hop)")
    raise gen.Return(x + y)


def program():
    pending = Future()
    result = start(body(pending))
    log("runner made")

    def resolve():
        log("resolving the pending future")
        pending.set_result(32)
    loop.add_callback(resolve)
    return result


def main():
    result = program()

    def done(f):
        log("result future resolved: %r" % (f.result(),))
        loop.stop()
    result.add_done_callback(done)


loop.add_callback(main)
loop.start()
