# A generator driven by a Runner, resolved out of order.
# Twin of the Rust scenario ch04_hand_made_generator (which writes the
# generator by hand, as the state machine a `yield` compiles to).
import contextvars

from twin import *
from tornado import gen
from tornado.concurrent import Future

loop = new_loop()


def adder(a, b):
    log("adder: waiting for a")
    a = yield a
    log("adder: a = %d, waiting for b" % a)
    b = yield b
    log("adder: b = %d, returning %d" % (b, a + b))
    raise gen.Return(a + b)


def main():
    a, b = Future(), Future()
    result = Future()
    g = adder(a, b)
    if MAJOR >= 6:
        # 6.x's Runner also takes the function that runs each step in the
        # coroutine's contextvars context (what @gen.coroutine passes).
        gen.Runner(contextvars.copy_context().run, g, result, next(g))
    else:
        gen.Runner(g, result, next(g))

    def set_b():
        log("setting b first")
        b.set_result(2)

    def set_a():
        log("setting a")
        a.set_result(40)
    loop.add_callback(set_b)
    loop.add_callback(set_a)

    def done(f):
        log("result future resolved: %r" % (f.result(),))
        loop.stop()
    result.add_done_callback(done)


loop.add_callback(main)
loop.start()
