"""ch06_report_where_freed: what gen.Task ignores is let go of at once; a Multi's later failures are logged.

- `gen.Task`'s callback called a second time: 4.5.3's `set_result` returns
  at once when the future is done, so the second argument (here a failed
  future) is freed when that call returns, reported as never retrieved
  before the function goes on.
- `gen.multi` of two tasks that fail (their functions'
  callbacks raise, into each task's stack context): the first failure is
  raised at the `yield`, the second is logged ("Multiple exceptions in
  yield list") while the Runner collects the results, before the generator
  resumes.
"""
from tornado import gen
from tornado.concurrent import Future

from twin import *

print_logs()
loop = new_loop()


def failed(why):
    future = Future()
    future.set_exception(ValueError(why))
    return future


def calls_back_twice(callback):
    callback(1)
    log("first call returned")
    callback(failed("the second call's argument, ignored"))
    log("second call returned")


def fails_later(why, callback):
    def fail():
        log("%s: raises" % why)
        raise ValueError(why)
    loop.add_callback(fail)


@gen.coroutine
def main():
    value = yield gen.Task(calls_back_twice)
    log("the task gave %s" % value)

    try:
        yield gen.multi([gen.Task(fails_later, "first"), gen.Task(fails_later, "second")])
    except ValueError as e:
        log("raised at the yield: ValueError: %s" % e)


loop.run_sync(main)
log("done")
