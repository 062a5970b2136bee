"""What the twins of chapter 06's gen.Task programs share (as the Rust
scenarios share `legacy` and `call_and_stop`): a callback-style function,
and a main that calls a coroutine and stops the loop when it is done."""
from twin import *

loop = new_loop()


def legacy(name, callback):
    log("legacy(%s) called; schedules its callback" % name)

    def fire():
        log("fire(%s): calls the callback" % name)
        callback(name + "-result")
        log("fire(%s): the callback returned" % name)
    loop.add_callback(fire)


def call_and_stop(name, coroutine):
    def main():
        f = coroutine()
        log("main: %s() returned" % name)

        def finished(f):
            log("%s finished: %s" % (name, f.result()))
            loop.stop()
        loop.add_future(f, finished)
    loop.add_callback(main)
    loop.start()
