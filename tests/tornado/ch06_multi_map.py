"""ch06_multi_map: a dict of yield points (MultiYieldPoint given a dict):
results under their keys, whatever order they come in; then several
failures, the first raised and the later ones logged unless their class is
in quiet_exceptions. The keys are inserted in sorted order, so Python's
insertion order is the Rust BTreeMap's key order.
"""
from tornado import gen

from twin import *

loop = new_loop()


def later(value, callback):
    """Calls back with value two iterations from now."""
    loop.add_callback(lambda: loop.add_callback(lambda: callback(value)))


@gen.coroutine
def failing(exc):
    yield gen.moment
    log("failing: raises %s: %s" % (type(exc).__name__, exc))
    raise exc


@gen.coroutine
def keyed():
    (yield gen.Callback("k"))("now")
    results = yield gen.MultiYieldPoint(dict(
        a=gen.Task(later, "late"),
        b=gen.Wait("k"),
    ))
    log("keyed: a=%s b=%s" % (results["a"], results["b"]))
    (yield gen.Callback("k"))("fine")
    try:
        yield gen.MultiYieldPoint(dict(
            a=gen.Wait("k"),
            b=failing(RuntimeError("error b")),
            c=failing(ValueError("error c")),
            d=failing(RuntimeError("error d")),
        ), quiet_exceptions=RuntimeError)
    except Exception as e:
        log("keyed: caught %s: %s" % (type(e).__name__, e))


def main():
    def done(f):
        log("finished")
        loop.stop()
    loop.add_future(keyed(), done)


loop.add_callback(main)
loop.start()
