"""ch02_chain_future: chain_future(a, b) copies a's outcome into b, inside a's set_result.

No IOLoop: in 4.5.3 the copy is a done-callback of `a`, run inline.
"""
from tornado.concurrent import Future, chain_future

from twin import *

# A result travels from a to b, during a.set_result.
a = Future()
b = Future()
chain_future(a, b)
b.add_done_callback(lambda b: log("b's done-callback: result=%r" % b.result()))
log("chained: b.done()=%s" % b.done())
a.set_result(7)
log("a.set_result(7) returned: b.result()=%r" % b.result())

# An exception travels the same way.
a = Future()
b = Future()
chain_future(a, b)
a.set_exception(ValueError("failed upstream"))
e = b.exception()
log("b.exception() is %s: %s" % (type(e).__name__, e))

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
