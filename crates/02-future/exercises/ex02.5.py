"""The program `nested_callbacks` of ex02.5 (crates/02-future/tests/exercises.rs), in Python.

Run it after you have written your prediction in ex02.5.txt, to check it:
~/.cache/tornado-venvs/t4.5.3/bin/python crates/02-future/exercises/ex02.5.py
"""
from tornado.concurrent import Future, chain_future


def log(msg):
    print("[it=0] %s" % msg)


a = Future()
b = Future()


def first(future):
    log("first sees a.result()=%s" % future.result())
    future.add_done_callback(lambda future: log("added by first"))
    log("first returns")


a.add_done_callback(first)
chain_future(a, b)
a.add_done_callback(lambda future: log("last of a's callbacks"))
b.add_done_callback(lambda future: log("b's callback sees b.result()=%s" % future.result()))
log("a.set_result(1)")
a.set_result(1)
log("a.set_result returned")
b.add_done_callback(lambda future: log("added to b after it was done"))
log("the end")
