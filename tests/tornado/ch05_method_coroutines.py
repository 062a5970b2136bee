"""ch05_method_coroutines: the generator article's Demo.asyn_sum, on two instances.

The article printed each returned Future (an address); the twin prints whether
it is done. It also stops the loop once both coroutines have finished.
"""
import tornado.concurrent
from tornado.gen import coroutine

from twin import *


class Demo(object):
    def __init__(self, io_loop, name):
        self.io_loop = io_loop
        self.name = name

    def do_something_long(self, a, b):
        log("%s: do_something_long(%d, %d)" % (self.name, a, b))
        self._future.set_result(a + b)

    @coroutine
    def asyn_sum(self, a, b):
        log("%s: asyn_sum %d %d" % (self.name, a, b))
        if hasattr(self, "_future") and not self._future.done():
            future = self._future
        else:
            future = tornado.concurrent.Future()
            self._future = future
            self.io_loop.add_callback(self.do_something_long, a=a, b=b)

        result = yield self._future

        log("%s: after yielded" % self.name)
        log("%s: %d %d %d" % (self.name, a, b, result))


def main():
    ioloop = new_loop()
    t1 = Demo(ioloop, "t1")
    f1 = t1.asyn_sum(2, 3)
    log("t1.asyn_sum returned a future, done=%s" % f1.done())
    t2 = Demo(ioloop, "t2")
    f2 = t2.asyn_sum(2, 3)
    log("t2.asyn_sum returned a future, done=%s" % f2.done())

    log("start " + "*" * 20)
    ioloop.add_future(f2, lambda f: ioloop.stop())
    ioloop.start()


main()
