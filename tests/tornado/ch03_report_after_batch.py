"""ch03_report_after_batch: when the loop lets go of a failed future nobody looked at.

Tornado 4.5.3 reports a failed future as never retrieved when its last
reference goes. A due timeout's callback lives until the whole batch of due
timeouts has run (`due_timeouts = timeout = None` in `start()`), so a failed
future it alone refers to is reported after the last timeout of the batch;
a timeout that ran keeps its callback as long as someone keeps the timeout;
`remove_timeout` lets go of the callback at once (`timeout.callback = None`);
a handler's return value is ignored, so a failed future it returns is
reported as soon as the handler returns (a callback's goes to `add_future`).
"""
import os

from tornado.concurrent import Future

from twin import *

print_logs()
loop = new_loop()
r, w = os.pipe()


def failed(why):
    future = Future()
    future.set_exception(ValueError(why))
    return future


kept = []


def add_two_timeouts():
    held = failed("held by timeout 1's callback")
    loop.add_timeout(loop.time() - 1, lambda held=held: log("timeout 1 runs"))
    loop.add_timeout(loop.time() - 1, lambda: log("timeout 2 runs"))
    held = failed("held by a kept timeout's callback")
    kept.append(loop.add_timeout(loop.time() - 1, lambda held=held: log("kept timeout runs")))
    loop.add_callback(remove_a_timeout)
    log("three due timeouts added, one of them kept")


def let_go_of_the_kept_timeout():
    log("letting go of the timeout that ran")
    del kept[:]
    log("let go")


def remove_a_timeout():
    held = failed("held by a removed timeout's callback")
    timeout = loop.add_timeout(loop.time() + 100, lambda held=held: None)
    del held
    log("removing a pending timeout")
    loop.remove_timeout(timeout)
    log("removed")
    loop.add_timeout(loop.time() - 1, wake_the_handler)
    loop.add_callback(let_go_of_the_kept_timeout)


def wake_the_handler():
    os.write(w, b"x")
    log("a byte for the handler")


def handler(fd, events):
    log("the handler returns a failed future")
    loop.remove_handler(fd)
    loop.add_callback(loop.stop)
    return failed("returned by the handler")


loop.add_handler(r, handler, loop.READ)
loop.add_callback(add_two_timeouts)
loop.start()
log("stopped")
