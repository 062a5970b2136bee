"""ch01_protocol: next, send, throw, close, the return value, and the errors.

No IOLoop and nothing of Tornado's: this is the Python generator protocol
that Tornado's Runner is built on (PEP 342).
"""
from twin import *


def name(e):
    """An exception as the last line of a traceback: "Name: message"."""
    return "%s: %s" % (type(e).__name__, e) if str(e) else type(e).__name__


def show(what, call):
    """Resume a generator and say how the step ended."""
    try:
        value = call()
    except StopIteration as e:
        if e.value is None:
            log("%s raised StopIteration" % what)
        else:
            log("%s returned %r" % (what, e.value))
    except Exception as e:
        log("%s raised %s" % (what, name(e)))
    else:
        log("%s yielded %r" % (what, value))


def accumulate():
    """Adds up what is sent in; next() (None) ends it with the total."""
    log("  body: starts")
    total = 0
    try:
        while True:
            try:
                value = yield total
            except ValueError as e:
                log("  body: caught %s" % name(e))
                value = 0
            if value is None:
                return total
            total += value
    finally:
        log("  body: finally runs")


def stubborn():
    """Yields again when closed: the protocol refuses that."""
    try:
        yield 1
    except GeneratorExit:
        log("  stubborn: caught GeneratorExit, yields again")
        yield 2


g = accumulate()
log("accumulate() made a generator; its body has not run")
show("send(5) before next()", lambda: g.send(5))
show("next()", lambda: next(g))
show("send(5)", lambda: g.send(5))
show("send(10)", lambda: g.send(10))
show("throw(ValueError)", lambda: g.throw(ValueError("bad")))
show("next()", lambda: next(g))
show("next() on a finished generator", lambda: next(g))

h = accumulate()
next(h)
show("throw(TypeError) not caught", lambda: h.throw(TypeError("wrong type")))

c = accumulate()
next(c)
c.close()
log("close() returned")

s = stubborn()
next(s)
try:
    s.close()
except RuntimeError as e:
    log("close() raised %s" % name(e))

u = accumulate()
show("throw(ValueError) into an unstarted generator", lambda: u.throw(ValueError("early")))
show("next() after that", lambda: next(u))
