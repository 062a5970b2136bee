"""ch03_iteration_order: what runs first in one IOLoop iteration.

Before start(): callbacks A and B, an already-due timeout T1, and a readable
socket with handler H. Each of them schedules more work while it runs.
"""
import socket

from twin import *

loop = new_loop()
r, w = socket.socketpair()
w.send(b"x")  # r is readable from the very beginning
past = loop.time() - 1.0  # a deadline that is already due


def A():
    log("A (callback #1)")
    loop.add_callback(lambda: log("A2 (callback added by callback A)"))
    loop.add_timeout(past, lambda: log("TA (already-due timeout added by callback A)"))


def B():
    log("B (callback #2)")


def T1():
    log("T1 (already-due timeout registered before start)")
    loop.add_callback(lambda: log("T1c (callback added by timeout T1)"))
    loop.add_timeout(past, lambda: log("T1t (already-due timeout added by timeout T1)"))


def H(fd, events):
    log("H (fd handler) events=%d" % events)
    loop.remove_handler(r.fileno())
    loop.add_callback(lambda: log("Hc (callback added by fd handler)"))


loop.add_callback(A)
loop.add_timeout(past, T1)
loop.add_callback(B)
loop.add_handler(r.fileno(), H, loop.READ)
loop.add_timeout(loop.time() + 0.1, loop.stop)
loop.start()
