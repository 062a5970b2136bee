"""ch06_arguments_multi: what a Wait evaluates to for each way of calling
the callback (Arguments), several keys outstanding at once, WaitAll, a list
of yield points (MultiYieldPoint) with a YieldFuture, and a key reused
after its Wait.
"""
from tornado import gen
from tornado.concurrent import Future

from twin import *

loop = new_loop()


@gen.coroutine
def arguments():
    (yield gen.Callback("noargs"))()
    log("noargs: %r" % ((yield gen.Wait("noargs")),))
    (yield gen.Callback("1arg"))(42)
    log("1arg: %r" % ((yield gen.Wait("1arg")),))
    (yield gen.Callback("2args"))(42, 43)
    result = yield gen.Wait("2args")
    log("2args: args=%r kwargs=%r" % (result.args, result.kwargs))
    (yield gen.Callback("kwargs"))(value=42)
    result = yield gen.Wait("kwargs")
    log("kwargs: args=%r kwargs=%r" % (result.args, result.kwargs))


@gen.coroutine
def parallel():
    a = yield gen.Callback("a")
    b = yield gen.Callback("b")
    loop.add_callback(b, "B")
    loop.add_callback(a, "A")
    log("parallel: waits for 'a' first, though 'b' is called first")
    log("parallel: a=%s" % (yield gen.Wait("a")))
    log("parallel: b=%s" % (yield gen.Wait("b")))
    c = yield gen.Callback("c")
    d = yield gen.Callback("d")
    loop.add_callback(d, "D")
    loop.add_callback(c, "C")
    log("parallel: WaitAll(['c', 'd']) = %r" % ((yield gen.WaitAll(["c", "d"])),))
    e = yield gen.Callback("e")
    f = Future()
    loop.add_callback(e, "E")
    loop.add_callback(f.set_result, "F")
    log("parallel: a list of Wait('e') and a future = %r" % ((yield [gen.Wait("e"), f]),))
    again = yield gen.Callback("a")
    loop.add_callback(again, "A again")
    log("parallel: key 'a' reused: %s" % (yield gen.Wait("a")))


def main():
    def then_parallel(f):
        def done(f):
            log("both finished")
            loop.stop()
        loop.add_future(parallel(), done)
    loop.add_future(arguments(), then_parallel)


loop.add_callback(main)
loop.start()
