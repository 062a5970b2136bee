"""ch06_errors: every misuse of the callback world, caught where Tornado
4.5.3 delivers it.

KeyReuseError, UnknownKeyError and BadYieldError are thrown into the
generator at the yield; an error the 3.x Task's function raises is thrown in
too; gen.Task (4.x) puts it in its future. LeakedCallbackError escapes into
the IOLoop, which logs it, and the coroutine's future never resolves.
"""
from tornado import gen

from twin import *

loop = new_loop()


class Task3(gen.YieldPoint):
    """Tornado 3.2.2's gen.Task (see ch06_task3_yield_point)."""

    def __init__(self, func):
        self.func = func

    def start(self, runner):
        self.runner = runner
        self.key = object()
        runner.register_callback(self.key)
        self.func(callback=runner.result_callback(self.key))

    def is_ready(self):
        return self.runner.is_ready(self.key)

    def get_result(self):
        return self.runner.pop_result(self.key)


def failing(callback):
    log("  failing() raises before calling back")
    raise ValueError("no connection")


@gen.coroutine
def misuses():
    yield gen.Callback("k")
    try:
        yield gen.Callback("k")
    except gen.KeyReuseError as e:
        log("caught KeyReuseError: %s" % e)
    try:
        yield gen.Wait("nobody")
    except gen.UnknownKeyError as e:
        log("caught UnknownKeyError: %s" % e)
    try:
        yield 42
    except gen.BadYieldError as e:
        log("caught BadYieldError: %s" % e)
    try:
        yield Task3(failing)
    except ValueError as e:
        log("caught from Task (3.x): ValueError: %s" % e)
    f = gen.Task(failing)
    log("gen.Task (4.x) returned; its future failed: %s" % (f.exception(),))
    try:
        yield f
    except ValueError as e:
        log("caught from gen.Task (4.x): ValueError: %s" % e)
    # Key 'k' is still pending, but exceptions were thrown in: no leak error.
    raise gen.Return("misuses done")


@gen.coroutine
def leaky():
    callback = yield gen.Callback("forgotten")
    log("leaky: returns without waiting for 'forgotten'")
    raise gen.Return("never delivered")


def main():
    def report(f):
        log("misuses finished: %s" % f.result())
        leaky_future = leaky()

        def check():
            log("leaky's future done: %s" % leaky_future.done())
            loop.stop()
        loop.call_later(0.5, check)
    loop.add_future(misuses(), report)


loop.add_callback(main)
loop.start()
