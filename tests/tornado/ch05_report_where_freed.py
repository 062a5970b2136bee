"""ch05_report_where_freed: a failed future nobody looks at, reported where 4.5.3 lets go of it.

Two values that 4.5.3 keeps longer than the code that uses them:

- A coroutine's result that its caller discards (`yield inner()` as a
  statement). The Runner's `run()` holds it in its local `value`, and the
  loop callback that resumed the Runner holds the coroutine's future, until
  the step ends: the report comes after the caller's next print, before
  the next iteration.
- The result of `with_timeout` that nobody waits for. Its timeout, once it
  has fired, keeps `timeout_callback` (and with it the result, failed with
  `TimeoutError`) for as long as the wrapped future's done-callback keeps
  the timeout's handle: until the wrapped future resolves.
"""
import datetime

from tornado import gen
from tornado.concurrent import Future

from twin import *

print_logs()
loop = new_loop()


def failed(why):
    future = Future()
    future.set_exception(ValueError(why))
    return future


@gen.coroutine
def inner():
    yield gen.moment
    raise gen.Return(failed("a coroutine's result, discarded by its caller"))


@gen.coroutine
def main():
    yield inner()
    log("resumed, the result discarded")
    yield gen.moment
    log("one moment later")

    wrapped = Future()
    gen.with_timeout(datetime.timedelta(seconds=0.25), wrapped)
    log("with_timeout's result dropped at once")
    yield gen.sleep(0.5)
    log("the timeout has fired; the wrapped future resolves")
    wrapped.set_result(None)
    log("resolved")
    yield gen.moment
    log("one moment later")


loop.run_sync(main)
log("done")
