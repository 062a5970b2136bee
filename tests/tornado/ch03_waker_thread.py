"""ch03_waker_thread: the generator article's demo, a thread adding callbacks to a sleeping loop.

The article's thread adds a callback every 10 seconds, forever. Here it adds two
per round, three rounds, and a barrier makes each round happen at the same
point of the loop every run, so the output is deterministic.
"""
import threading

from twin import *

loop = new_loop()
barrier = threading.Barrier(2)


def test(a, b):
    log("run callback function test, args: %d %d" % (a, b))


def let_thread_add(round_):
    log("round %d: the loop lets the thread add two callbacks" % round_)
    barrier.wait()  # the thread may add now
    barrier.wait()  # the thread has added them


def thread_body():
    for round_ in range(1, 4):
        barrier.wait()
        loop.add_callback(test, 888, 999)
        if round_ < 3:
            loop.add_callback(let_thread_add, round_ + 1)
        else:
            loop.add_callback(loop.stop)
        barrier.wait()


log("add a callback function")
loop.add_callback(test, 2, 2)
log("start a thread to add callback function")
thread = threading.Thread(target=thread_body)
thread.start()
loop.add_callback(let_thread_add, 1)
log("start ioloop")
loop.start()
thread.join()
log("ioloop stopped, thread joined")
