(window.COURSE_RECORDINGS = window.COURSE_RECORDINGS || {})["ch02_reentrant_set_result"] = {
  "format": "tornado-course recording 1",
  "scenario": "ch02_reentrant_set_result",
  "title": "set_result inside a done-callback: depth first in 4.5.3, one level per iteration in 6.x",
  "chapter": 2,
  "twin": "ch02_reentrant_set_result",
  "tornado": "4.5.3",
  "counterpart": {"recording": "ch02_reentrant_set_result.tornado6", "moved_here": [3, 6, 9, 10, 11, 13], "moved_there": [11, 14, 16, 19, 22, 25]},
  "events": [
    {"step": 0, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "main: setting f1", "objects": [], "line": "[it=0] > main: setting f1"},
    {"step": 1, "it": 0, "kind": "future", "subject": "f1", "action": "set_result", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 set_result"},
    {"step": 2, "it": 0, "kind": "future", "subject": "f1", "action": "runs done-callback 1 of 2", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 runs done-callback 1 of 2"},
    {"step": 3, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "A: f1 done, setting f2", "objects": [], "line": "[it=0] > A: f1 done, setting f2"},
    {"step": 4, "it": 0, "kind": "future", "subject": "f2", "action": "set_result", "detail": null, "objects": [{"id": "f2", "kind": "future"}], "line": "[it=0]   future f2 set_result"},
    {"step": 5, "it": 0, "kind": "future", "subject": "f2", "action": "runs done-callback 1 of 1", "detail": null, "objects": [{"id": "f2", "kind": "future"}], "line": "[it=0]   future f2 runs done-callback 1 of 1"},
    {"step": 6, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "C: f2 done, setting f3", "objects": [], "line": "[it=0] > C: f2 done, setting f3"},
    {"step": 7, "it": 0, "kind": "future", "subject": "f3", "action": "set_result", "detail": null, "objects": [{"id": "f3", "kind": "future"}], "line": "[it=0]   future f3 set_result"},
    {"step": 8, "it": 0, "kind": "future", "subject": "f3", "action": "runs done-callback 1 of 1", "detail": null, "objects": [{"id": "f3", "kind": "future"}], "line": "[it=0]   future f3 runs done-callback 1 of 1"},
    {"step": 9, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "D: f3 done", "objects": [], "line": "[it=0] > D: f3 done"},
    {"step": 10, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "C: f3.set_result returned", "objects": [], "line": "[it=0] > C: f3.set_result returned"},
    {"step": 11, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "A: f2.set_result returned", "objects": [], "line": "[it=0] > A: f2.set_result returned"},
    {"step": 12, "it": 0, "kind": "future", "subject": "f1", "action": "runs done-callback 2 of 2", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 runs done-callback 2 of 2"},
    {"step": 13, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "B: f1 done", "objects": [], "line": "[it=0] > B: f1 done"},
    {"step": 14, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "main: f1.set_result returned", "objects": [], "line": "[it=0] > main: f1.set_result returned"}
  ]
}
;