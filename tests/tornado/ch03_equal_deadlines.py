"""ch03_equal_deadlines: timeouts with the same deadline run in insertion order (4.5.3)."""
from twin import *

loop = new_loop()
when = loop.time() - 1.0  # already due: they all run in the first iteration

for i in range(6):
    loop.add_timeout(when, lambda i=i: log("timeout %d (deadline `when`, added #%d)" % (i, i)))
loop.add_timeout(when - 0.5, lambda: log("an earlier deadline, added last: runs first"))


def register():
    log("a callback adds call_later(0) four times, then call_later(0, stop)")
    for i in range(4):
        loop.call_later(0, lambda i=i: log("call_later(0) #%d" % i))
    loop.call_later(0, loop.stop)


loop.add_callback(register)
loop.start()
