(window.COURSE_RECORDINGS = window.COURSE_RECORDINGS || {})["ch02_double_set"] = {
  "format": "tornado-course recording 1",
  "scenario": "ch02_double_set",
  "title": "a second set_result is refused with InvalidStateError (4.5.3 overwrites)",
  "chapter": 2,
  "twin": null,
  "tornado": "4.5.3",
  "events": [
    {"step": 0, "it": 0, "kind": "future", "subject": "f1", "action": "set_result", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 set_result"},
    {"step": 1, "it": 0, "kind": "future", "subject": "f1", "action": "runs done-callback 1 of 1", "detail": null, "objects": [{"id": "f1", "kind": "future"}], "line": "[it=0]   future f1 runs done-callback 1 of 1"},
    {"step": 2, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "done-callback: result=1", "objects": [], "line": "[it=0] > done-callback: result=1"},
    {"step": 3, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "second set_result raised InvalidStateError: invalid state", "objects": [], "line": "[it=0] > second set_result raised InvalidStateError: invalid state"},
    {"step": 4, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "set_exception after set_result raised InvalidStateError: invalid state", "objects": [], "line": "[it=0] > set_exception after set_result raised InvalidStateError: invalid state"},
    {"step": 5, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "result() returns 1", "objects": [], "line": "[it=0] > result() returns 1"},
    {"step": 6, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "is FutureError::InvalidState: true", "objects": [], "line": "[it=0] > is FutureError::InvalidState: true"}
  ]
}
;