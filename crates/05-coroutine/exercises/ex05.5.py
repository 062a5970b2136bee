from tornado import gen
from twin import *  # tests/tornado/twin.py

loop = new_loop()

@gen.coroutine
def child(name, delay, fails):
    log("%s: first step" % name)
    yield gen.sleep(delay)
    log("%s: woke up" % name)
    if fails:
        raise ValueError(name)
    raise gen.Return(name)

@gen.coroutine
def main():
    log("main: first step")
    a = child("a", 1.0, True)
    b = child("b", 0.5, True)
    c = child("c", 0, False)
    log("main: all three called")
    try:
        yield [a, b, c]
    except ValueError as e:
        log("main: the list raised ValueError: %s" % e)
    log("main: ends")

loop.run_sync(main)
log("run_sync returned")
