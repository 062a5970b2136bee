"""ch05_callback_fills_future: the asyn_sum article's asyn_sum, a coroutine waiting on a callback.

The article ran the loop forever; the twin stops it when the coroutine's future
resolves.
"""
from tornado.concurrent import Future
from tornado.gen import coroutine

from twin import *

loop = new_loop()


@coroutine
def asyn_sum(a, b):
    log("begin calculate:sum %d+%d" % (a, b))
    future = Future()

    def callback(a, b):
        log("calculating the sum of %d+%d:" % (a, b))
        future.set_result(a + b)

    loop.add_callback(callback, a, b)
    result = yield future
    log("after yielded")
    log("the %d+%d=%d" % (a, b, result))


def main():
    f = asyn_sum(2, 3)
    log("asyn_sum returned; its future is done: %s" % f.done())
    loop.add_future(f, lambda f: loop.stop())
    loop.start()


main()
