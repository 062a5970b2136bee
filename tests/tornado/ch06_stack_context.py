"""ch06_stack_context: the callback world's error channel.

Once a coroutine has reached its first yield point, the Runner's
ExceptionStackContext goes with everything the coroutine schedules: an
exception raised by any of those callbacks is thrown into the generator.
A coroutine that only yields futures has no context: the same exception is
only logged. gen.Task's own context fails its future with an exception one
of the function's callbacks raises later; once the future is done it
declines, and an exception the function raises after calling back leaves
gen.Task(...) into the caller. A user's ExceptionStackContext sees what its
callbacks raise; a yield inside a `with StackContext` block is an error.
"""
import contextlib

from tornado import gen, stack_context

from twin import *

loop = new_loop()


def boom():
    log("  boom() raises")
    raise ValueError("boom")


@gen.coroutine
def with_yield_point():
    callback = yield gen.Callback("k")
    log("with_yield_point: reached a yield point; schedules boom")
    loop.add_callback(boom)
    try:
        yield gen.Wait("k")
    except ValueError as e:
        log("with_yield_point: caught at its yield: ValueError: %s" % e)
    raise gen.Return("first done")


@gen.coroutine
def futures_only():
    log("futures_only: schedules boom")
    loop.add_callback(boom)
    try:
        yield gen.sleep(0.1)
    except ValueError:
        log("futures_only: not reached")
    log("futures_only: slept; boom was only logged")
    raise gen.Return("second done")


def late_failure(callback):
    log("  late_failure() schedules boom")
    loop.add_callback(boom)


def calls_back_then_raises(callback):
    callback(42)
    log("  calls_back_then_raises() called back; raises")
    raise ValueError("after calling back")


@gen.coroutine
def tasks():
    try:
        yield gen.Task(late_failure)
    except ValueError as e:
        log("tasks: gen.Task's future failed: ValueError: %s" % e)
    try:
        gen.Task(calls_back_then_raises)
        log("tasks: not reached")
    except ValueError as e:
        log("tasks: gen.Task(...) raised: ValueError: %s" % e)
    raise gen.Return("third done")


@gen.coroutine
def yields_inside_with():
    @contextlib.contextmanager
    def nothing():
        yield

    with stack_context.StackContext(nothing):
        yield gen.moment


def handler(typ, value, tb):
    log("handler: %s: %s" % (typ.__name__, value))
    return True


def main():
    f = with_yield_point()

    def second(_):
        log("with_yield_point -> %s" % f.result())
        g = futures_only()

        def third(_):
            log("futures_only -> %s" % g.result())
            h = tasks()

            def fourth(_):
                log("tasks -> %s" % h.result())
                with stack_context.ExceptionStackContext(handler):
                    loop.add_callback(boom)
                log("main: left the with block")
                i = yields_inside_with()

                def fifth(_):
                    log("yields_inside_with -> %s: %s" % (
                        type(i.exception()).__name__, i.exception()))
                    loop.stop()
                loop.add_future(i, fifth)
            loop.add_future(h, fourth)
        loop.add_future(g, third)
    loop.add_future(f, second)


loop.add_callback(main)
loop.start()
