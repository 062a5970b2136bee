# Tornado 3.2.2 and 4.5.3 import two standard-library names that Python 3.10
# removed. This puts them back so the pinned versions import on Python 3.11.
# It touches no Tornado code.
import collections
import collections.abc
import inspect

for _name in ("MutableMapping", "Mapping", "Sequence", "Callable", "Iterable",
              "MutableSet", "Set", "Hashable", "Sized", "Container", "Iterator",
              "Generator", "Awaitable", "Coroutine"):
    if not hasattr(collections, _name):
        setattr(collections, _name, getattr(collections.abc, _name))

if not hasattr(inspect, "getargspec"):
    _ArgSpec = collections.namedtuple("ArgSpec", "args varargs keywords defaults")

    def getargspec(func):
        spec = inspect.getfullargspec(func)
        return _ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)

    inspect.getargspec = getargspec
