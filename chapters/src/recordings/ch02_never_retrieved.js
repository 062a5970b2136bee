(window.COURSE_RECORDINGS = window.COURSE_RECORDINGS || {})["ch02_never_retrieved"] = {
  "format": "tornado-course recording 1",
  "scenario": "ch02_never_retrieved",
  "title": "a failed future nobody looked at is reported when it is dropped",
  "chapter": 2,
  "twin": "ch02_never_retrieved",
  "tornado": "4.5.3",
  "counterpart": {"recording": "ch02_never_retrieved.tornado6", "moved_here": [], "moved_there": []},
  "events": [
    {"step": 0, "it": 0, "kind": "future", "subject": "f1", "action": "set_exception", "detail": "ValueError: nobody looked at me", "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 set_exception: ValueError: nobody looked at me"},
    {"step": 1, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "dropping a failed future nobody looked at", "objects": [], "line": "[it=0] > dropping a failed future nobody looked at"},
    {"step": 2, "it": 0, "kind": "log", "subject": null, "action": "log", "detail": "ERROR tornado.application: Future f1 exception was never retrieved: ValueError: nobody looked at me", "objects": [], "line": "[it=0] ! ERROR tornado.application: Future f1 exception was never retrieved: ValueError: nobody looked at me"},
    {"step": 3, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "dropped: its exception was reported as never retrieved", "objects": [], "line": "[it=0] > dropped: its exception was reported as never retrieved"},
    {"step": 4, "it": 0, "kind": "future", "subject": "f2", "action": "set_exception", "detail": "ValueError: seen", "objects": [{"id": "f2", "kind": "future"}], "line": "[it=0]   future f2 set_exception: ValueError: seen"},
    {"step": 5, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "dropping a failed future after exception() returned ValueError: seen", "objects": [], "line": "[it=0] > dropping a failed future after exception() returned ValueError: seen"},
    {"step": 6, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "dropped: nothing reported", "objects": [], "line": "[it=0] > dropped: nothing reported"},
    {"step": 7, "it": 0, "kind": "future", "subject": "f3", "action": "set_exception", "detail": "ValueError: done() is not enough", "objects": [{"id": "f3", "kind": "future"}], "line": "[it=0]   future f3 set_exception: ValueError: done() is not enough"},
    {"step": 8, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "dropping a failed future after done() returned True", "objects": [], "line": "[it=0] > dropping a failed future after done() returned True"},
    {"step": 9, "it": 0, "kind": "log", "subject": null, "action": "log", "detail": "ERROR tornado.application: Future f3 exception was never retrieved: ValueError: done() is not enough", "objects": [], "line": "[it=0] ! ERROR tornado.application: Future f3 exception was never retrieved: ValueError: done() is not enough"},
    {"step": 10, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "dropped: done() does not count, it was reported", "objects": [], "line": "[it=0] > dropped: done() does not count, it was reported"},
    {"step": 11, "it": 0, "kind": "future", "subject": "f4", "action": "set_exception", "detail": "ValueError: a done-callback looked", "objects": [{"id": "f4", "kind": "future"}], "line": "[it=0]   future f4 set_exception: ValueError: a done-callback looked"},
    {"step": 12, "it": 0, "kind": "future", "subject": "f4", "action": "runs done-callback 1 of 1", "detail": null, "objects": [{"id": "f4", "kind": "future"}], "line": "[it=0]   future f4 runs done-callback 1 of 1"},
    {"step": 13, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "dropping a failed future whose done-callback called exception()", "objects": [], "line": "[it=0] > dropping a failed future whose done-callback called exception()"},
    {"step": 14, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "dropped: nothing reported", "objects": [], "line": "[it=0] > dropped: nothing reported"}
  ]
}
;