from tornado import gen
from twin import *  # tests/tornado/twin.py

loop = new_loop()


def legacy(name, callback):
    log("legacy(%s) called" % name)

    def later():
        log("legacy(%s) calls back" % name)
        callback(name)
        log("legacy(%s): its callback returned" % name)

    loop.add_callback(later)


@gen.coroutine
def main():
    log("main: first step")
    cb = yield gen.Callback("k")
    log("main: got the callback for k")
    legacy("W", cb)
    t = gen.Task(legacy, "T")
    log("main: the Task is made")
    w = yield gen.Wait("k")
    log("main: Wait(k) gave %s" % w)
    t = yield t
    log("main: the Task gave %s" % t)

loop.run_sync(main)
log("run_sync returned")
