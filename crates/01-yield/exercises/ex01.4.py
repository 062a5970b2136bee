"""The program `numbers` of ex01.4 (crates/01-yield/tests/exercises.rs), in Python.

Run it after you have written your prediction in ex01.4.txt, to check it:
~/.cache/tornado-venvs/t4.5.3/bin/python crates/01-yield/exercises/ex01.4.py
"""


def log(msg):
    print("[it=0] %s" % msg)


def numbers():
    log("body: starts")
    try:
        received = yield 1
        log("body: received %s" % received)
        try:
            yield 2
        except ValueError as e:
            log("body: caught ValueError: %s" % e)
        yield 3
        log("body: after the last yield")
    finally:
        log("body: finally")


g = numbers()
log("numbers() made a generator")
log("next() gave %s" % next(g))
log("send(10) gave %s" % g.send(10))
log("throw(ValueError) gave %s" % g.throw(ValueError("bad")))
g.close()
log("close() returned")
