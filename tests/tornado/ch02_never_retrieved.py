"""ch02_never_retrieved: a failed future that nobody looked at is reported when it goes away.

CPython frees each future at `del` (nothing else refers to it), so Tornado
4.5.3's `Future.__del__` logs on tornado.application right there; the log
record goes to standard error and is not compared, the lines around it are.

The program runs inside a loop callback (4.5.3 prints the same lines as
without a loop, all in iteration 0) so that under Tornado 6.x the last
future's done-callback, which asyncio schedules with call_soon, runs at all.
There the asyncio Future's `__del__` reports on the logger asyncio, and the
last future is not freed at `del` but when the loop drops the Handle of its
done-callback, which has called exception() by then: nothing is reported.
"""
from tornado.concurrent import Future

from twin import *

loop = new_loop()


def main():
    f = Future()
    f.set_exception(ValueError("nobody looked at me"))
    log("dropping a failed future nobody looked at")
    del f
    log("dropped: its exception was reported as never retrieved")

    f = Future()
    f.set_exception(ValueError("seen"))
    e = f.exception()
    log("dropping a failed future after exception() returned %s: %s" % (type(e).__name__, e))
    del f
    log("dropped: nothing reported")

    f = Future()
    f.set_exception(ValueError("done() is not enough"))
    log("dropping a failed future after done() returned %s" % f.done())
    del f
    log("dropped: done() does not count, it was reported")

    f = Future()
    f.add_done_callback(lambda f: f.exception())
    f.set_exception(ValueError("a done-callback looked"))
    log("dropping a failed future whose done-callback called exception()")
    del f
    log("dropped: nothing reported")
    loop.add_callback(loop.stop)


loop.add_callback(main)
loop.start()
