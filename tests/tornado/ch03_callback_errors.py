"""ch03_callback_errors: failing callbacks, timeouts and handlers are logged; the loop goes on.

(The Rust twin fails in two ways, a panic and an Err; Python raises both times.
Log records are not compared, only the printed lines.)
"""
import socket

from tornado.concurrent import Future

from twin import *

loop = new_loop()
r, w = socket.socketpair()
w.send(b"x")


def callback_1():
    log("callback 1 fails")
    raise ValueError("callback 1 failed")


def callback_2():
    log("callback 2 fails")
    raise KeyError("callback 2 failed")


def callback_4():
    log("callback 4 returns a failed future: logged one iteration later")
    future = Future()
    future.set_exception(ValueError("the future failed"))
    return future


def failing_timeout():
    log("a due timeout fails")
    raise ZeroDivisionError("the timeout failed")


def failing_handler(fd, events):
    log("the handler reads 1 byte, removes itself and fails")
    r.recv(1)
    loop.remove_handler(r.fileno())
    loop.add_callback(still_alive)
    raise OSError("the handler failed")


def still_alive():
    log("the loop is still alive: stop")
    loop.stop()


loop.add_callback(callback_1)
loop.add_callback(callback_2)
loop.add_callback(lambda: log("callback 3 still runs in the same batch"))
loop.add_callback(callback_4)
loop.add_timeout(loop.time() - 1, failing_timeout)
loop.add_handler(r.fileno(), failing_handler, loop.READ)
loop.start()
