"""ch06_task3_yield_point: the upload article's gen.Task, Tornado 3's yield point,
driven by Tornado 4.5.3's Runner.

Its function runs when the Task is yielded (the first yield point one
iteration late), and the coroutine resumes inside the callback call.
"""
from tornado import gen

from callback_world import legacy, loop, call_and_stop
from twin import *


class Task(gen.YieldPoint):
    """Tornado 3.2.2's gen.Task, as the upload article quotes it."""

    def __init__(self, func, *args, **kwargs):
        assert "callback" not in kwargs
        self.args = args
        self.kwargs = kwargs
        self.func = func

    def start(self, runner):
        self.runner = runner
        self.key = object()
        runner.register_callback(self.key)
        self.kwargs["callback"] = runner.result_callback(self.key)
        self.func(*self.args, **self.kwargs)

    def is_ready(self):
        return self.runner.is_ready(self.key)

    def get_result(self):
        return self.runner.pop_result(self.key)


@gen.coroutine
def co():
    log("co: makes Task(legacy, 'A') and yields it")
    a = yield Task(legacy, "A")
    log("co: resumed from Task A with %s" % a)
    log("co: makes Task(legacy, 'B') and yields it")
    b = yield Task(legacy, "B")
    log("co: resumed from Task B with %s" % b)
    raise gen.Return(a + " " + b)


call_and_stop("co", co)
