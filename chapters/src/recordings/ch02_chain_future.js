(window.COURSE_RECORDINGS = window.COURSE_RECORDINGS || {})["ch02_chain_future"] = {
  "format": "tornado-course recording 1",
  "scenario": "ch02_chain_future",
  "title": "chain_future copies a's outcome into b, inside a's set_result",
  "chapter": 2,
  "twin": "ch02_chain_future",
  "tornado": "4.5.3",
  "counterpart": {"recording": "ch02_chain_future.tornado6", "moved_here": [5, 6, 10], "moved_there": [7, 28, 30]},
  "events": [
    {"step": 0, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "chained: b.done()=False", "objects": [], "line": "[it=0] > chained: b.done()=False"},
    {"step": 1, "it": 0, "kind": "future", "subject": "f1", "action": "set_result", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 set_result"},
    {"step": 2, "it": 0, "kind": "future", "subject": "f1", "action": "runs done-callback 1 of 1", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 runs done-callback 1 of 1"},
    {"step": 3, "it": 0, "kind": "future", "subject": "f2", "action": "set_result", "detail": null, "objects": [{"id": "f2", "kind": "future"}], "line": "[it=0]   future f2 set_result"},
    {"step": 4, "it": 0, "kind": "future", "subject": "f2", "action": "runs done-callback 1 of 1", "detail": null, "objects": [{"id": "f2", "kind": "future"}], "line": "[it=0]   future f2 runs done-callback 1 of 1"},
    {"step": 5, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "b's done-callback: result=7", "objects": [], "line": "[it=0] > b's done-callback: result=7"},
    {"step": 6, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "a.set_result(7) returned: b.result()=7", "objects": [], "line": "[it=0] > a.set_result(7) returned: b.result()=7"},
    {"step": 7, "it": 0, "kind": "future", "subject": "f3", "action": "set_exception", "detail": "ValueError: failed upstream", "objects": [{"id": "f3", "kind": "future"}], "line": "[it=0]   future f3 set_exception: ValueError: failed upstream"},
    {"step": 8, "it": 0, "kind": "future", "subject": "f3", "action": "runs done-callback 1 of 1", "detail": null, "objects": [{"id": "f3", "kind": "future"}], "line": "[it=0]   future f3 runs done-callback 1 of 1"},
    {"step": 9, "it": 0, "kind": "future", "subject": "f4", "action": "set_exception", "detail": "ValueError: failed upstream", "objects": [{"id": "f4", "kind": "future"}], "line": "[it=0]   future f4 set_exception: ValueError: failed upstream"},
    {"step": 10, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "b.exception() is ValueError: failed upstream", "objects": [], "line": "[it=0] > b.exception() is ValueError: failed upstream"},
    {"step": 11, "it": 0, "kind": "future", "subject": "f6", "action": "set_result", "detail": null, "objects": [{"id": "f6", "kind": "future"}], "line": "[it=0]   future f6 set_result"},
    {"step": 12, "it": 0, "kind": "future", "subject": "f5", "action": "set_result", "detail": null, "objects": [{"id": "f5", "kind": "future"}], "line": "[it=0]   future f5 set_result"},
    {"step": 13, "it": 0, "kind": "future", "subject": "f5", "action": "runs done-callback 1 of 1", "detail": null, "objects": [{"id": "f5", "kind": "future"}], "line": "[it=0]   future f5 runs done-callback 1 of 1"},
    {"step": 14, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "b was done already: b.result()=\"b's own\"", "objects": [], "line": "[it=0] > b was done already: b.result()=\"b's own\""},
    {"step": 15, "it": 0, "kind": "future", "subject": "f7", "action": "set_result", "detail": null, "objects": [{"id": "f7", "kind": "future"}], "line": "[it=0]   future f7 set_result"},
    {"step": 16, "it": 0, "kind": "future", "subject": "f7", "action": "runs done-callback at once (already done)", "detail": null, "objects": [{"id": "f7", "kind": "future"}], "line": "[it=0]   future f7 runs done-callback at once (already done)"},
    {"step": 17, "it": 0, "kind": "future", "subject": "f8", "action": "set_result", "detail": null, "objects": [{"id": "f8", "kind": "future"}], "line": "[it=0]   future f8 set_result"},
    {"step": 18, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "a was done already: b.done()=True b.result()=3", "objects": [], "line": "[it=0] > a was done already: b.done()=True b.result()=3"}
  ]
}
;