# Done futures run straight through; moments take turns (gen_test test_moment).
# Twin of the Rust scenario ch04_moment_interleaving.
import contextvars

from twin import *
from tornado import gen
from tornado.concurrent import Future

loop = new_loop()


def start(g):
    result = Future()
    if MAJOR >= 6:
        # 6.x's Runner also takes the function that runs each step in the
        # coroutine's contextvars context (what @gen.coroutine passes).
        gen.Runner(contextvars.copy_context().run, g, result, next(g))
    else:
        gen.Runner(g, result, next(g))
    return result


def steps(name, use_moment):
    for _ in range(3):
        log(name)
        if use_moment:
            yield gen.moment
        else:
            f = Future()
            f.set_result(None)
            yield f
    raise gen.Return(3)


def main():
    log("done futures, then moments:")
    a = start(steps("a (done futures)", False))
    b = start(steps("b (moments)", True))
    c = start(steps("c (moments)", True))
    result = gen.multi_future([a, b, c])

    def done(f):
        log("result future resolved: %r" % (f.result(),))
        loop.stop()
    result.add_done_callback(done)


loop.add_callback(main)
loop.start()
