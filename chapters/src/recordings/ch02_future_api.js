(window.COURSE_RECORDINGS = window.COURSE_RECORDINGS || {})["ch02_future_api"] = {
  "format": "tornado-course recording 1",
  "scenario": "ch02_future_api",
  "title": "done, result and exception, before and after the future is done",
  "chapter": 2,
  "twin": "ch02_future_api",
  "tornado": "4.5.3",
  "counterpart": {"recording": "ch02_future_api.tornado6", "moved_here": [0, 1, 2, 3, 5], "moved_there": [0, 1, 2, 4, 6]},
  "events": [
    {"step": 0, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "new future: done=False running=True", "objects": [], "line": "[it=0] > new future: done=False running=True"},
    {"step": 1, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "result() raised Exception: DummyFuture does not support blocking for results", "objects": [], "line": "[it=0] > result() raised Exception: DummyFuture does not support blocking for results"},
    {"step": 2, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "exception() raised Exception: DummyFuture does not support blocking for results", "objects": [], "line": "[it=0] > exception() raised Exception: DummyFuture does not support blocking for results"},
    {"step": 3, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "cancel() returned False, cancelled() returns False", "objects": [], "line": "[it=0] > cancel() returned False, cancelled() returns False"},
    {"step": 4, "it": 0, "kind": "future", "subject": "f1", "action": "set_result", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 set_result"},
    {"step": 5, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "after set_result(42): done=True running=False", "objects": [], "line": "[it=0] > after set_result(42): done=True running=False"},
    {"step": 6, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "result() returned 42", "objects": [], "line": "[it=0] > result() returned 42"},
    {"step": 7, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "exception() returned None", "objects": [], "line": "[it=0] > exception() returned None"},
    {"step": 8, "it": 0, "kind": "future", "subject": "f2", "action": "set_exception", "detail": "ValueError: bad", "objects": [{"id": "f2", "kind": "future"}], "line": "[it=0]   future f2 set_exception: ValueError: bad"},
    {"step": 9, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "after set_exception: done=True", "objects": [], "line": "[it=0] > after set_exception: done=True"},
    {"step": 10, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "result() raised ValueError: bad", "objects": [], "line": "[it=0] > result() raised ValueError: bad"},
    {"step": 11, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "exception() returned ValueError: bad", "objects": [], "line": "[it=0] > exception() returned ValueError: bad"}
  ]
}
;