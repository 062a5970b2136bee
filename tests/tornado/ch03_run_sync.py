"""ch03_run_sync: run_sync's result, its error, and its timeout (4.5.3's shape)."""
from tornado.concurrent import Future

from twin import *

loop = new_loop()


def resolves_later():
    log("func runs in the loop; its future resolves one callback later")
    future = Future()
    loop.add_callback(lambda: future.set_result(42))
    return future


def fails_later():
    future = Future()
    loop.add_callback(lambda: future.set_exception(ValueError("bad")))
    return future


def never_resolves():
    log("func returns a future that nobody resolves")
    return Future()


log("run_sync returned %s" % loop.run_sync(resolves_later))
try:
    loop.run_sync(fails_later)
except Exception as e:
    log("run_sync raised %s: %s" % (type(e).__name__, e))
try:
    loop.run_sync(never_resolves, timeout=0.05)
except Exception as e:
    log("run_sync raised %s: %s" % (type(e).__name__, e))
