(window.COURSE_RECORDINGS = window.COURSE_RECORDINGS || {})["ch01_send_values"] = {
  "format": "tornado-course recording 1",
  "scenario": "ch01_send_values",
  "title": "the generator article's test() as a hand-written state machine: enter, 1, 2, 3",
  "chapter": 1,
  "twin": "ch01_send_values",
  "tornado": "4.5.3",
  "events": [
    {"step": 0, "it": 0, "kind": "generator", "subject": "g1", "action": "starts", "detail": null, "objects": [{"id": "g1", "kind": "generator"}], "line": "[it=0]   generator g1 starts"},
    {"step": 1, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "enter", "objects": [], "line": "[it=0] > enter"},
    {"step": 2, "it": 0, "kind": "generator", "subject": "g1", "action": "yields", "detail": null, "objects": [{"id": "g1", "kind": "generator"}], "line": "[it=0]   generator g1 yields"},
    {"step": 3, "it": 0, "kind": "generator", "subject": "g1", "action": "resumed by send", "detail": null, "objects": [{"id": "g1", "kind": "generator"}], "line": "[it=0]   generator g1 resumed by send"},
    {"step": 4, "it": 0, "kind": "generator", "subject": "g1", "action": "yields", "detail": null, "objects": [{"id": "g1", "kind": "generator"}], "line": "[it=0]   generator g1 yields"},
    {"step": 5, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "1", "objects": [], "line": "[it=0] > 1"},
    {"step": 6, "it": 0, "kind": "generator", "subject": "g1", "action": "resumed by next", "detail": null, "objects": [{"id": "g1", "kind": "generator"}], "line": "[it=0]   generator g1 resumed by next"},
    {"step": 7, "it": 0, "kind": "generator", "subject": "g1", "action": "yields", "detail": null, "objects": [{"id": "g1", "kind": "generator"}], "line": "[it=0]   generator g1 yields"},
    {"step": 8, "it": 0, "kind": "generator", "subject": "g1", "action": "resumed by send", "detail": null, "objects": [{"id": "g1", "kind": "generator"}], "line": "[it=0]   generator g1 resumed by send"},
    {"step": 9, "it": 0, "kind": "generator", "subject": "g1", "action": "yields", "detail": null, "objects": [{"id": "g1", "kind": "generator"}], "line": "[it=0]   generator g1 yields"},
    {"step": 10, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "2", "objects": [], "line": "[it=0] > 2"},
    {"step": 11, "it": 0, "kind": "generator", "subject": "g1", "action": "resumed by next", "detail": null, "objects": [{"id": "g1", "kind": "generator"}], "line": "[it=0]   generator g1 resumed by next"},
    {"step": 12, "it": 0, "kind": "generator", "subject": "g1", "action": "yields", "detail": null, "objects": [{"id": "g1", "kind": "generator"}], "line": "[it=0]   generator g1 yields"},
    {"step": 13, "it": 0, "kind": "generator", "subject": "g1", "action": "resumed by send", "detail": null, "objects": [{"id": "g1", "kind": "generator"}], "line": "[it=0]   generator g1 resumed by send"},
    {"step": 14, "it": 0, "kind": "generator", "subject": "g1", "action": "yields", "detail": null, "objects": [{"id": "g1", "kind": "generator"}], "line": "[it=0]   generator g1 yields"},
    {"step": 15, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "3", "objects": [], "line": "[it=0] > 3"},
    {"step": 16, "it": 0, "kind": "generator", "subject": "g1", "action": "resumed by next", "detail": null, "objects": [{"id": "g1", "kind": "generator"}], "line": "[it=0]   generator g1 resumed by next"},
    {"step": 17, "it": 0, "kind": "generator", "subject": "g1", "action": "yields", "detail": null, "objects": [{"id": "g1", "kind": "generator"}], "line": "[it=0]   generator g1 yields"}
  ]
}
;