"""ch03_stop_start: stop() before start(), stop() mid-batch, re-entrant start()."""
from twin import *

loop = new_loop()

log("-- stop() before start(): start() returns at once")
loop.add_callback(lambda: log("cb queued before stop()+start()"))
loop.stop()
loop.start()
log("start() returned")

log("-- second start(): the pending callback now runs")
loop.add_callback(lambda: log("stopper"))
loop.add_callback(loop.stop)
loop.start()
log("start() returned")

log("-- stop() in the middle of a batch")


def s1():
    log("s1 calls stop()")
    loop.stop()
    loop.add_callback(lambda: log("added-after-stop (next batch)"))


loop.add_callback(s1)
loop.add_callback(lambda: log("s2 same batch after stop()"))
loop.add_timeout(loop.time() - 1, lambda: log("due timeout in same iteration after stop()"))
loop.start()
log("start() returned")

log("-- restart: the leftover callback runs")
loop.add_callback(loop.stop)
loop.start()

log("-- re-entrant start()")


def reenter():
    try:
        loop.start()
        log("nested start returned")
    except Exception as e:
        log("nested start raised %s: %s" % (type(e).__name__, e))
    loop.stop()


loop.add_callback(reenter)
loop.start()
log("start() returned")
