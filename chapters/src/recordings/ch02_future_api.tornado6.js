(window.COURSE_RECORDINGS = window.COURSE_RECORDINGS || {})["ch02_future_api.tornado6"] = {
  "format": "tornado-course recording 1",
  "scenario": "ch02_future_api",
  "title": "done, result and exception, before and after the future is done",
  "chapter": 2,
  "twin": "ch02_future_api",
  "tornado": "6.6.1",
  "counterpart": {"recording": "ch02_future_api", "moved_here": [0, 1, 2, 4, 6], "moved_there": [0, 1, 2, 3, 5]},
  "events": [
    {"step": 0, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "new future: done=False", "objects": [], "line": "[it=0] > new future: done=False"},
    {"step": 1, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "result() raised InvalidStateError: Result is not set.", "objects": [], "line": "[it=0] > result() raised InvalidStateError: Result is not set."},
    {"step": 2, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "exception() raised InvalidStateError: Exception is not set.", "objects": [], "line": "[it=0] > exception() raised InvalidStateError: Exception is not set."},
    {"step": 3, "it": 0, "kind": "future", "subject": "f2", "action": "cancelled", "detail": null, "objects": [{"id": "f2", "kind": "future"}], "line": "[it=0]   future f2 cancelled"},
    {"step": 4, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "cancel() of another future returned True, cancelled() returns True", "objects": [], "line": "[it=0] > cancel() of another future returned True, cancelled() returns True"},
    {"step": 5, "it": 0, "kind": "future", "subject": "f1", "action": "set_result", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 set_result"},
    {"step": 6, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "after set_result(42): done=True", "objects": [], "line": "[it=0] > after set_result(42): done=True"},
    {"step": 7, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "result() returned 42", "objects": [], "line": "[it=0] > result() returned 42"},
    {"step": 8, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "exception() returned None", "objects": [], "line": "[it=0] > exception() returned None"},
    {"step": 9, "it": 0, "kind": "future", "subject": "f3", "action": "set_exception", "detail": "ValueError: bad", "objects": [{"id": "f3", "kind": "future"}], "line": "[it=0]   future f3 set_exception: ValueError: bad"},
    {"step": 10, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "after set_exception: done=True", "objects": [], "line": "[it=0] > after set_exception: done=True"},
    {"step": 11, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "result() raised ValueError: bad", "objects": [], "line": "[it=0] > result() raised ValueError: bad"},
    {"step": 12, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "exception() returned ValueError: bad", "objects": [], "line": "[it=0] > exception() returned ValueError: bad"}
  ]
}
;