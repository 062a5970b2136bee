from tornado import gen
from twin import *  # tests/tornado/twin.py

loop = new_loop()


def call_soon_with(callback, value):
    def fire():
        log("fire: calls back with %s" % value)
        try:
            callback(value)
            log("fire: the call returned")
        except Exception as e:
            log("fire: the call raised %s: %s" % (type(e).__name__, e))

    loop.add_callback(fire)


@gen.coroutine
def leaky():
    log("leaky: first step")
    cb1 = yield gen.Callback("k1")
    cb2 = yield gen.Callback("k2")
    log("leaky: has two callbacks")
    call_soon_with(cb1, "one")
    value = yield gen.Wait("k1")
    log("leaky: Wait(k1) gave %s; returns" % value)


@gen.coroutine
def main():
    f = leaky()
    log("main: leaky() returned, done=%s" % f.done())
    yield gen.sleep(1.0)
    log("main: a second later, leaky's future done=%s" % f.done())

loop.run_sync(main)
log("run_sync returned")
