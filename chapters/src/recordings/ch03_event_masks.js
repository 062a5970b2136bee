(window.COURSE_RECORDINGS = window.COURSE_RECORDINGS || {})["ch03_event_masks"] = {
  "format": "tornado-course recording 1",
  "scenario": "ch03_event_masks",
  "title": "A handler gets epoll's mask unchanged: a hang-up alone (0x10), an error alone (0x8)",
  "chapter": 3,
  "twin": "ch03_event_masks",
  "tornado": "4.5.3",
  "counterpart": {"recording": "ch03_event_masks.tornado6", "moved_here": [3, 9, 14], "moved_there": [3, 9, 14]},
  "events": [
    {"step": 0, "it": 0, "kind": "handler", "subject": "h1", "action": "added", "detail": "READ", "objects": [{"id": "h1", "kind": "handler"}], "line": "[it=0]   handler h1 added: READ"},
    {"step": 1, "it": 0, "kind": "poll", "subject": null, "action": "poll", "detail": "1 event", "objects": [], "line": "[it=0]   poll: 1 event"},
    {"step": 2, "it": 1, "kind": "handler", "subject": "h1", "action": "fires", "detail": "ERROR", "objects": [{"id": "h1", "kind": "handler"}], "line": "[it=1]   handler h1 fires: ERROR"},
    {"step": 3, "it": 1, "kind": "print", "subject": null, "action": "print", "detail": "pipe, writer closed, nothing to read: events=0x10", "objects": [], "line": "[it=1] > pipe, writer closed, nothing to read: events=0x10"},
    {"step": 4, "it": 1, "kind": "handler", "subject": "h1", "action": "removed", "detail": null, "objects": [{"id": "h1", "kind": "handler"}], "line": "[it=1]   handler h1 removed"},
    {"step": 5, "it": 1, "kind": "print", "subject": null, "action": "print", "detail": "udp socket sent a datagram to a closed port", "objects": [], "line": "[it=1] > udp socket sent a datagram to a closed port"},
    {"step": 6, "it": 1, "kind": "handler", "subject": "h2", "action": "added", "detail": "READ", "objects": [{"id": "h2", "kind": "handler"}], "line": "[it=1]   handler h2 added: READ"},
    {"step": 7, "it": 1, "kind": "poll", "subject": null, "action": "poll", "detail": "1 event", "objects": [], "line": "[it=1]   poll: 1 event"},
    {"step": 8, "it": 2, "kind": "handler", "subject": "h2", "action": "fires", "detail": "ERROR", "objects": [{"id": "h2", "kind": "handler"}], "line": "[it=2]   handler h2 fires: ERROR"},
    {"step": 9, "it": 2, "kind": "print", "subject": null, "action": "print", "detail": "udp socket refused by ICMP: events=0x8", "objects": [], "line": "[it=2] > udp socket refused by ICMP: events=0x8"},
    {"step": 10, "it": 2, "kind": "handler", "subject": "h2", "action": "removed", "detail": null, "objects": [{"id": "h2", "kind": "handler"}], "line": "[it=2]   handler h2 removed"},
    {"step": 11, "it": 2, "kind": "handler", "subject": "h3", "action": "added", "detail": "READ", "objects": [{"id": "h3", "kind": "handler"}], "line": "[it=2]   handler h3 added: READ"},
    {"step": 12, "it": 2, "kind": "poll", "subject": null, "action": "poll", "detail": "1 event", "objects": [], "line": "[it=2]   poll: 1 event"},
    {"step": 13, "it": 3, "kind": "handler", "subject": "h3", "action": "fires", "detail": "READ|ERROR", "objects": [{"id": "h3", "kind": "handler"}], "line": "[it=3]   handler h3 fires: READ|ERROR"},
    {"step": 14, "it": 3, "kind": "print", "subject": null, "action": "print", "detail": "pipe, writer closed, one byte left: events=0x11", "objects": [], "line": "[it=3] > pipe, writer closed, one byte left: events=0x11"},
    {"step": 15, "it": 3, "kind": "handler", "subject": "h3", "action": "removed", "detail": null, "objects": [{"id": "h3", "kind": "handler"}], "line": "[it=3]   handler h3 removed"}
  ]
}
;