(window.COURSE_RECORDINGS = window.COURSE_RECORDINGS || {})["ch02_done_callbacks"] = {
  "format": "tornado-course recording 1",
  "scenario": "ch02_done_callbacks",
  "title": "done-callbacks run inside set_result, in order; a late one runs at once",
  "chapter": 2,
  "twin": "ch02_done_callbacks",
  "tornado": "4.5.3",
  "counterpart": {"recording": "ch02_done_callbacks.tornado6", "moved_here": [3, 5, 8, 12, 15], "moved_there": [17, 19, 21, 23, 26]},
  "events": [
    {"step": 0, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "before set_result", "objects": [], "line": "[it=0] > before set_result"},
    {"step": 1, "it": 0, "kind": "future", "subject": "f1", "action": "set_result", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 set_result"},
    {"step": 2, "it": 0, "kind": "future", "subject": "f1", "action": "runs done-callback 1 of 2", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 runs done-callback 1 of 2"},
    {"step": 3, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "cb1 result=42", "objects": [], "line": "[it=0] > cb1 result=42"},
    {"step": 4, "it": 0, "kind": "future", "subject": "f1", "action": "runs done-callback 2 of 2", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 runs done-callback 2 of 2"},
    {"step": 5, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "cb2", "objects": [], "line": "[it=0] > cb2"},
    {"step": 6, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "after set_result", "objects": [], "line": "[it=0] > after set_result"},
    {"step": 7, "it": 0, "kind": "future", "subject": "f1", "action": "runs done-callback at once (already done)", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 runs done-callback at once (already done)"},
    {"step": 8, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "cb3 (added after done)", "objects": [], "line": "[it=0] > cb3 (added after done)"},
    {"step": 9, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "after add_done_callback on done future", "objects": [], "line": "[it=0] > after add_done_callback on done future"},
    {"step": 10, "it": 0, "kind": "future", "subject": "f2", "action": "set_result", "detail": null, "objects": [{"id": "f2", "kind": "future"}], "line": "[it=0]   future f2 set_result"},
    {"step": 11, "it": 0, "kind": "future", "subject": "f2", "action": "runs done-callback 1 of 2", "detail": null, "objects": [{"id": "f2", "kind": "future"}], "line": "[it=0]   future f2 runs done-callback 1 of 2"},
    {"step": 12, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "bad callback raising", "objects": [], "line": "[it=0] > bad callback raising"},
    {"step": 13, "it": 0, "kind": "log", "subject": null, "action": "log", "detail": "ERROR tornado.application: Exception in callback 1 of 2 for future f2: ValueError: boom-in-callback", "objects": [], "line": "[it=0] ! ERROR tornado.application: Exception in callback 1 of 2 for future f2: ValueError: boom-in-callback"},
    {"step": 14, "it": 0, "kind": "future", "subject": "f2", "action": "runs done-callback 2 of 2", "detail": null, "objects": [{"id": "f2", "kind": "future"}], "line": "[it=0]   future f2 runs done-callback 2 of 2"},
    {"step": 15, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "callback after the raising one still runs", "objects": [], "line": "[it=0] > callback after the raising one still runs"},
    {"step": 16, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "set_result returned normally", "objects": [], "line": "[it=0] > set_result returned normally"}
  ]
}
;