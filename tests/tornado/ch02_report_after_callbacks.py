"""ch02_report_after_callbacks: a failed future held only by a done-callback is reported after the last callback.

Tornado 4.5.3's `_set_done` runs every done-callback, then sets
`self._callbacks = None`: what the callbacks refer to lives until then, so a
failed future that only a done-callback refers to is reported as never
retrieved after the last callback ran, inside `set_result`. A failed future
that a callback makes and lets go of itself is reported at once.

The program runs inside a loop callback so that Tornado 6.x, whose asyncio
futures schedule each done-callback with call_soon, runs the callbacks at all
(4.5.3 prints the same lines as without a loop, all in iteration 0). In 6.x
each callback is its own asyncio Handle: the held future is freed, and
reported by the logger asyncio, as soon as the loop lets go of the Handle of
done-callback 1, before done-callback 2 runs, one iteration after set_result.
"""
from tornado.concurrent import Future

from twin import *

print_logs()
loop = new_loop()


def failed(why):
    future = Future()
    future.set_exception(ValueError(why))
    return future


def main():
    pending = Future()
    held = failed("held only by done-callback 1")

    def callback_1(future, held=held):
        log("done-callback 1 of 3 runs")
        local = failed("made and dropped by done-callback 1")
        del local
        log("done-callback 1 dropped its own failed future")

    pending.add_done_callback(callback_1)
    pending.add_done_callback(lambda future: log("done-callback 2 of 3 runs"))
    pending.add_done_callback(lambda future: log("done-callback 3 of 3 runs"))
    del held, callback_1  # only the done-callback list refers to them now
    log("the pending future resolves")
    pending.set_result(None)
    log("set_result returned")
    # Stop after the done-callbacks that 6.x scheduled have run.
    loop.add_callback(loop.stop)


loop.add_callback(main)
loop.start()
