"""ch01_send_values: the generator article's `test()` generator, driven by send and next.

The article (Python 2) printed: enter, 1, 2, 3. Both Rust versions of `test()`
(the hand-written state machine and the async block) reproduce it.
"""
from twin import *


def test():
    log("enter")
    while 1:
        b = yield
        yield b


# f.next() and f.send(None) are the same thing.
f = test()
f.send(None)  # f.next()
log(f.send(1))
next(f)
log(f.send(2))
next(f)
log(f.send(3))
next(f)
