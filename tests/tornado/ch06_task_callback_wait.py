"""ch06_task_callback_wait: when gen.Task calls its function, and when the
coroutine resumes after a Task and after a Callback/Wait pair.

Tornado 4: the Task's function runs when the Task is made, and the coroutine
resumes one iteration after the callback, like any future. The first yield
point (the Callback) costs one more iteration. A Wait resumes the coroutine
inside the callback call.
"""
from tornado import gen

from twin import *

loop = new_loop()


def legacy(name, callback):
    log("legacy(%s) called; schedules its callback" % name)

    def fire():
        log("fire(%s): calls the callback" % name)
        callback(name + "-result")
        log("fire(%s): the callback returned" % name)
    loop.add_callback(fire)


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


def main():
    f = co()
    log("main: co() returned")

    def finished(f):
        log("co finished: %s" % f.result())
        loop.stop()
    loop.add_future(f, finished)


loop.add_callback(main)
loop.start()
