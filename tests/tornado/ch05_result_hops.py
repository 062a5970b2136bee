"""ch05_result_hops: how many iterations pass between a future completing and its waiter running.

A @gen.coroutine waits on five kinds of future, each completed by a loop
callback (or by a child coroutine returning), and prints when the waiter
runs: a plain Future; a child coroutine's result; a list (multi) once its last
child is set; gen.with_timeout around a Future; and a done-callback added with
add_done_callback to a coroutine's result future, beside a yield on it.

Tornado 4.5.3: every yield resumes one iteration after the future is set (the
Runner's add_future queues it with add_callback); multi and with_timeout copy
their children's outcome inside set_result, so they cost nothing more; a
done-callback runs inside set_result, in the same iteration.

Tornado 6.x: a done-callback is scheduled with call_soon, so it runs one
iteration later; a plain yield still resumes after one (add_future's
done-callback calls the Runner directly); multi and with_timeout reach the
parent through a second future whose set_result is itself in a scheduled
done-callback: two iterations.
"""
from datetime import timedelta

from tornado import gen
from tornado.concurrent import Future

from twin import *

loop = new_loop()


def set_later(name, f, value):
    """Set f from a loop callback, printing when it happens."""
    def setter():
        log("%s: set_result" % name)
        f.set_result(value)
    loop.add_callback(setter)


@gen.coroutine
def child(name):
    yield gen.moment
    log("%s: child returns" % name)
    raise gen.Return(name)


@gen.coroutine
def main():
    f = Future()
    set_later("plain future", f, 1)
    yield f
    log("plain future: parent resumed")

    yield child("child coroutine")
    log("child coroutine: parent resumed")

    f1, f2 = Future(), Future()
    set_later("multi, first child", f1, 1)
    set_later("multi, last child", f2, 2)
    yield [f1, f2]
    log("multi: parent resumed")

    f = Future()
    set_later("with_timeout", f, 1)
    yield gen.with_timeout(timedelta(hours=1), f)
    log("with_timeout: parent resumed")

    r = child("done-callback")
    r.add_done_callback(lambda r: log("done-callback: callback runs"))
    yield r
    log("done-callback: parent resumed")
    loop.add_callback(loop.stop)


loop.add_callback(main)
loop.start()
