"""ch02_done_callbacks: done-callbacks run inside set_result, in order; a late one runs at once.

The program runs inside a loop callback so that Tornado 6.x, whose asyncio
futures need a running loop to schedule their callbacks, can run it too: 4.5.3 prints every line in
iteration 0, 6.6.1 prints the callbacks' lines one iteration after the rest.

The failing callback's log record goes to standard error and is not compared;
the line printed just before it raises, and the one after, fix its place.
"""
from tornado.concurrent import Future

from twin import *

loop = new_loop()


def main():
    f = Future()
    f.add_done_callback(lambda f: log("cb1 result=%r" % f.result()))
    f.add_done_callback(lambda f: log("cb2"))
    log("before set_result")
    f.set_result(42)
    log("after set_result")
    f.add_done_callback(lambda f: log("cb3 (added after done)"))
    log("after add_done_callback on done future")

    g = Future()

    def bad(future):
        log("bad callback raising")
        raise ValueError("boom-in-callback")

    g.add_done_callback(bad)
    g.add_done_callback(lambda f: log("callback after the raising one still runs"))
    g.set_result(1)
    log("set_result returned normally")
    # Stop after whatever the futures scheduled (6.x) has run.
    loop.add_callback(loop.stop)


loop.add_callback(main)
loop.start()
