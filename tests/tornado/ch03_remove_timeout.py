"""ch03_remove_timeout: lazy removal, and timeouts removed in the iteration they were due.

Under Tornado 6.x the timeouts are asyncio TimerHandles: heap= counts the
asyncio loop's _scheduled heap and cancellations= its _timer_cancelled_count,
which counts only handles cancelled while still in the heap and goes down only
when a cancelled handle is dropped from the heap's head.
"""
from twin import *

loop = new_loop()
past = loop.time() - 1.0
handles = {}


def heap():
    if MAJOR >= 6:
        # 6.x: the heap and the count live in the asyncio loop.
        aio = loop.asyncio_loop
        return "heap=%d cancellations=%d" % (len(aio._scheduled), aio._timer_cancelled_count)
    return "heap=%d cancellations=%d" % (len(loop._timeouts), loop._cancellations)


def a():
    log("A fires and removes B (due in this same iteration)")
    loop.remove_timeout(handles["B"])


def d():
    log("D fires")
    loop.add_callback(after)


def after():
    log("D already fired: removing it again is harmless")
    loop.remove_timeout(handles["D"])
    loop.remove_timeout(handles["F"])
    log("F removed, the entry stays: " + heap())
    loop.stop()


def on_callback():
    log("a callback removes E (due, already chosen for this iteration)")
    loop.remove_timeout(handles["E"])


handles["A"] = loop.add_timeout(past - 0.3, a)
handles["B"] = loop.add_timeout(past - 0.2, lambda: log("B fires (never)"))
handles["C"] = loop.add_timeout(past - 0.1, lambda: log("C fires (never)"))
handles["D"] = loop.add_timeout(past, d)
handles["E"] = loop.add_timeout(past, lambda: log("E fires (never)"))
handles["F"] = loop.add_timeout(loop.time() + 3600, lambda: log("F fires (never)"))
loop.remove_timeout(handles["C"])
log("C removed before start: " + heap())
loop.add_callback(on_callback)
loop.start()
loop.add_callback(loop.stop)
loop.start()
log("one more iteration popped F from the head: " + heap())
