(window.COURSE_RECORDINGS = window.COURSE_RECORDINGS || {})["ch02_report_after_callbacks"] = {
  "format": "tornado-course recording 1",
  "scenario": "ch02_report_after_callbacks",
  "title": "a failed future held only by a done-callback is reported after the last callback",
  "chapter": 2,
  "twin": "ch02_report_after_callbacks",
  "tornado": "4.5.3",
  "counterpart": {"recording": "ch02_report_after_callbacks.tornado6", "moved_here": [4, 7, 9, 11], "moved_there": [13, 16, 19, 21]},
  "events": [
    {"step": 0, "it": 0, "kind": "future", "subject": "f2", "action": "set_exception", "detail": "ValueError: held only by done-callback 1", "objects": [{"id": "f2", "kind": "future"}], "line": "[it=0]   future f2 set_exception: ValueError: held only by done-callback 1"},
    {"step": 1, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "the pending future resolves", "objects": [], "line": "[it=0] > the pending future resolves"},
    {"step": 2, "it": 0, "kind": "future", "subject": "f1", "action": "set_result", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 set_result"},
    {"step": 3, "it": 0, "kind": "future", "subject": "f1", "action": "runs done-callback 1 of 3", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 runs done-callback 1 of 3"},
    {"step": 4, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "done-callback 1 of 3 runs", "objects": [], "line": "[it=0] > done-callback 1 of 3 runs"},
    {"step": 5, "it": 0, "kind": "future", "subject": "f3", "action": "set_exception", "detail": "ValueError: made and dropped by done-callback 1", "objects": [{"id": "f3", "kind": "future"}], "line": "[it=0]   future f3 set_exception: ValueError: made and dropped by done-callback 1"},
    {"step": 6, "it": 0, "kind": "log", "subject": null, "action": "log", "detail": "ERROR tornado.application: Future f3 exception was never retrieved: ValueError: made and dropped by done-callback 1", "objects": [], "line": "[it=0] ! ERROR tornado.application: Future f3 exception was never retrieved: ValueError: made and dropped by done-callback 1"},
    {"step": 7, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "done-callback 1 dropped its own failed future", "objects": [], "line": "[it=0] > done-callback 1 dropped its own failed future"},
    {"step": 8, "it": 0, "kind": "future", "subject": "f1", "action": "runs done-callback 2 of 3", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 runs done-callback 2 of 3"},
    {"step": 9, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "done-callback 2 of 3 runs", "objects": [], "line": "[it=0] > done-callback 2 of 3 runs"},
    {"step": 10, "it": 0, "kind": "future", "subject": "f1", "action": "runs done-callback 3 of 3", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 runs done-callback 3 of 3"},
    {"step": 11, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "done-callback 3 of 3 runs", "objects": [], "line": "[it=0] > done-callback 3 of 3 runs"},
    {"step": 12, "it": 0, "kind": "log", "subject": null, "action": "log", "detail": "ERROR tornado.application: Future f2 exception was never retrieved: ValueError: held only by done-callback 1", "objects": [], "line": "[it=0] ! ERROR tornado.application: Future f2 exception was never retrieved: ValueError: held only by done-callback 1"},
    {"step": 13, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "set_result returned", "objects": [], "line": "[it=0] > set_result returned"}
  ]
}
;