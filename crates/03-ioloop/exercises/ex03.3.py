"""ex03.3's program, `callbacks_and_timeouts` in tests/exercises.rs, under real Tornado.

Run it with Tornado 4.5.3 to check a prediction (or the key):
    python crates/03-ioloop/exercises/ex03.3.py
"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "tests", "tornado"))
from twin import *  # noqa: E402,F403

loop = new_loop()
now = loop.time()


def c1():
    log("C1")
    loop.add_callback(lambda: log("C2: added by C1"))
    loop.call_at(now, lambda: log("T3: deadline now, added by C1"))


def t2():
    log("T2: deadline now")
    loop.add_callback(lambda: log("C3: added by T2"))


def t4():
    log("T4: deadline now + 0.05, stops the loop")
    loop.stop()
    loop.add_callback(lambda: log("C4: added by T4, after stop()"))


loop.call_at(now + 0.05, lambda: log("T1: deadline now + 0.05, added first"))
loop.call_at(now, t2)
loop.add_callback(c1)
loop.call_at(now + 0.05, t4)
loop.call_at(now + 0.05, lambda: log("T5: deadline now + 0.05, added last"))
loop.start()
log("start() returned")
