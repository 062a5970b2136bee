"""ch02_chain_future: chain_future(a, b) copies a's outcome into b, inside a's set_result.

In 4.5.3 the copy is a done-callback of `a`, run inline: every line prints in
iteration 0. The program runs inside a loop callback so that Tornado 6.x, whose
asyncio futures schedule their done-callbacks on the running loop, can run it
too. There the copy runs one iteration after a.set_result and b's own
done-callback one more after that, so 6.x prints "b.done()=False" where 4.5.3
prints b's result right after a.set_result, and reads the copied exception in a
done-callback of b instead of right after a.set_exception.
"""
from tornado.concurrent import Future, chain_future

from twin import *

loop = new_loop()


def main():
    # A result travels from a to b, during a.set_result.
    a = Future()
    b = Future()
    chain_future(a, b)
    b.add_done_callback(lambda b: log("b's done-callback: result=%r" % b.result()))
    log("chained: b.done()=%s" % b.done())
    a.set_result(7)
    if MAJOR >= 6:
        # 6.x: the copy is only scheduled; b is still pending here.
        log("a.set_result(7) returned: b.done()=%s" % b.done())
    else:
        log("a.set_result(7) returned: b.result()=%r" % b.result())

    # An exception travels the same way.
    a = Future()
    b = Future()
    chain_future(a, b)
    a.set_exception(ValueError("failed upstream"))

    def show_exception(b):
        e = b.exception()
        log("b.exception() is %s: %s" % (type(e).__name__, e))

    if MAJOR >= 6:
        # 6.x: b fails one iteration later; read it once it has.
        b.add_done_callback(show_exception)
    else:
        show_exception(b)
    # Stop once that b has failed and its done-callbacks have run (6.x);
    # 4.5.3 stops one iteration after this one.
    loop.add_future(b, lambda b: loop.stop())

    # A target that is already done keeps its own outcome.
    a = Future()
    b = Future()
    b.set_result("b's own")
    chain_future(a, b)
    a.set_result("from a")
    log("b was done already: b.result()=%r" % b.result())

    # Chaining from a future that is already done copies at once.
    a = Future()
    a.set_result(3)
    b = Future()
    chain_future(a, b)
    log("a was done already: b.done()=%s b.result()=%r" % (b.done(), b.result()))


loop.add_callback(main)
loop.start()
