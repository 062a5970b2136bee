(window.COURSE_RECORDINGS = window.COURSE_RECORDINGS || {})["ch03_read_handler.tornado6"] = {
  "format": "tornado-course recording 1",
  "scenario": "ch03_read_handler",
  "title": "The async-in-Tornado article: a READ handler on a TCP connection, until the peer closes",
  "chapter": 3,
  "twin": "ch03_read_handler",
  "tornado": "6.6.1",
  "counterpart": {"recording": "ch03_read_handler", "moved_here": [], "moved_there": []},
  "events": [
    {"step": 0, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "client connected and sent hello", "objects": [], "line": "[it=0] > client connected and sent hello"},
    {"step": 1, "it": 0, "kind": "handler", "subject": "h1", "action": "added", "detail": "READ", "objects": [{"id": "h1", "kind": "handler"}], "line": "[it=0]   handler h1 added: READ"},
    {"step": 2, "it": 0, "kind": "print", "subject": null, "action": "print", "detail": "start ioloop", "objects": [], "line": "[it=0] > start ioloop"},
    {"step": 3, "it": 0, "kind": "poll", "subject": null, "action": "poll", "detail": "1 event", "objects": [], "line": "[it=0]   poll: 1 event"},
    {"step": 4, "it": 1, "kind": "handler", "subject": "h1", "action": "fires", "detail": "READ", "objects": [{"id": "h1", "kind": "handler"}], "line": "[it=1]   handler h1 fires: READ"},
    {"step": 5, "it": 1, "kind": "print", "subject": null, "action": "print", "detail": "accept: events=1, a new connection", "objects": [], "line": "[it=1] > accept: events=1, a new connection"},
    {"step": 6, "it": 1, "kind": "handler", "subject": "h1", "action": "removed", "detail": null, "objects": [{"id": "h1", "kind": "handler"}], "line": "[it=1]   handler h1 removed"},
    {"step": 7, "it": 1, "kind": "handler", "subject": "h2", "action": "added", "detail": "READ", "objects": [{"id": "h2", "kind": "handler"}], "line": "[it=1]   handler h2 added: READ"},
    {"step": 8, "it": 1, "kind": "poll", "subject": null, "action": "poll", "detail": "1 event", "objects": [], "line": "[it=1]   poll: 1 event"},
    {"step": 9, "it": 2, "kind": "handler", "subject": "h2", "action": "fires", "detail": "READ", "objects": [{"id": "h2", "kind": "handler"}], "line": "[it=2]   handler h2 fires: READ"},
    {"step": 10, "it": 2, "kind": "print", "subject": null, "action": "print", "detail": "handle_data: events=1, read 6 bytes: hello", "objects": [], "line": "[it=2] > handle_data: events=1, read 6 bytes: hello"},
    {"step": 11, "it": 2, "kind": "print", "subject": null, "action": "print", "detail": "the client closes its socket", "objects": [], "line": "[it=2] > the client closes its socket"},
    {"step": 12, "it": 2, "kind": "poll", "subject": null, "action": "poll", "detail": "1 event", "objects": [], "line": "[it=2]   poll: 1 event"},
    {"step": 13, "it": 3, "kind": "handler", "subject": "h2", "action": "fires", "detail": "READ", "objects": [{"id": "h2", "kind": "handler"}], "line": "[it=3]   handler h2 fires: READ"},
    {"step": 14, "it": 3, "kind": "print", "subject": null, "action": "print", "detail": "handle_data: events=1, read 0 bytes: the peer closed", "objects": [], "line": "[it=3] > handle_data: events=1, read 0 bytes: the peer closed"},
    {"step": 15, "it": 3, "kind": "handler", "subject": "h2", "action": "removed", "detail": null, "objects": [{"id": "h2", "kind": "handler"}], "line": "[it=3]   handler h2 removed"},
    {"step": 16, "it": 3, "kind": "print", "subject": null, "action": "print", "detail": "ioloop stopped", "objects": [], "line": "[it=3] > ioloop stopped"}
  ]
}
;