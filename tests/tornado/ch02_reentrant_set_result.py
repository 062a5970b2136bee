"""ch02_reentrant_set_result: a done-callback that sets another future.

f1 has done-callbacks A and B; A sets f2, whose done-callback C sets f3, whose
done-callback D stops the loop. Tornado 4.5.3 runs done-callbacks inside
set_result: f1.set_result runs A, A's f2.set_result runs C, C's f3.set_result
runs D, and only then does B run: depth first, all in one iteration, and each
"set_result returned" line comes after every callback it set off.

Tornado 6.x (asyncio futures) schedules each done-callback with call_soon:
every set_result returns at once, A and B run one iteration later, C one
after that, D one after that: breadth first, one iteration per level.
"""
from tornado.concurrent import Future

from twin import *

loop = new_loop()


def main():
    f1, f2, f3 = Future(), Future(), Future()

    def a(f):
        log("A: f1 done, setting f2")
        f2.set_result(2)
        log("A: f2.set_result returned")

    def b(f):
        log("B: f1 done")

    def c(f):
        log("C: f2 done, setting f3")
        f3.set_result(3)
        log("C: f3.set_result returned")

    def d(f):
        log("D: f3 done")
        loop.add_callback(loop.stop)

    f1.add_done_callback(a)
    f1.add_done_callback(b)
    f2.add_done_callback(c)
    f3.add_done_callback(d)
    log("main: setting f1")
    f1.set_result(1)
    log("main: f1.set_result returned")


loop.add_callback(main)
loop.start()
