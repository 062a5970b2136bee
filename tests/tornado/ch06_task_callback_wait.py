"""ch06_task_callback_wait: when gen.Task calls its function, and when the
coroutine resumes after a Task and after a Callback/Wait pair.

Tornado 4: the Task's function runs when the Task is made, and the coroutine
resumes one iteration after the callback, like any future. The first yield
point (the Callback) costs one more iteration. A Wait resumes the coroutine
inside the callback call.
"""
from tornado import gen

from callback_world import legacy, loop, call_and_stop
from twin import *


@gen.coroutine
def co():
    log("co: makes the Task (not yielded yet)")
    t = gen.Task(legacy, "T")
    log("co: Task made; yields it")
    r = yield t
    log("co: resumed from the Task with %s" % r)
    cb = yield gen.Callback("k")
    log("co: got the Callback's callback; schedules it")

    def fire2():
        log("fire2: calls Callback('k')")
        cb("k-result")
        log("fire2: Callback('k') returned")
    loop.add_callback(fire2)
    r = yield gen.Wait("k")
    log("co: resumed from Wait('k') with %s" % r)
    raise gen.Return("done")


call_and_stop("co", co)
