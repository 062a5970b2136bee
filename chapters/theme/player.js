// The recording player: step through a recording of the course, forwards and back,
// with the state the recording implies at each step: the callback queue (this
// iteration's batch and the next), the timeouts in the order they fire, the handlers
// and their pending events, each future, each runner, each generator, and what the
// program printed.
//
// Everything shown is computed here from the recording's data (docs/recordings.md):
// `window.COURSE_RECORDINGS[name]`, set by `recordings/<name>.js` (a script, not a
// fetch, so that the book works from a file:// copy, offline). A player is any
// `<div class="course-player" data-recording="name">` on the page.
//
// Keys, once the player has the focus: → or j next step, ← or k previous, Home the
// start, End the end.
(function () {
  "use strict";

  // ---- The state after each step, derived from the events ----------------------------

  /** The states at positions 0..n: position p is "events 0..p-1 have happened". */
  function derive(recording) {
    const events = recording.events;
    const n = events.length;
    // Lookahead facts, each from the whole recording.
    const firesAt = {}; // timeout id -> step of its "fires"
    const handlerFires = []; // [handler id, step of "fires", step of the poll before]
    let lastPoll = -1;
    events.forEach(function (e, step) {
      if (e.kind === "timeout" && e.action === "fires") firesAt[e.subject] = step;
      if (e.kind === "poll") lastPoll = step;
      if (e.kind === "handler" && e.action === "fires") handlerFires.push([e.subject, step, lastPoll]);
    });
    // The queue's entries, each matched with the event that runs it (first queued, first
    // matched), so that a snapshot knows which run in this iteration's batch.
    const entries = []; // {id, label, runIt}
    const queueAt = []; // per step: {push: entry} or {pop: entry} or null
    const open = [];
    const removed = {}; // timeout id -> removed: a cancelled timer is dropped, never run
    events.forEach(function (e) {
      const op = queueOp(e);
      let at = null;
      if (e.kind === "timeout" && e.action === "removed") removed[e.subject] = true;
      if (op && op.push !== undefined && e.kind === "timeout" && removed[e.subject]) {
        // Nothing: asyncio drops a cancelled timer from the heap's head unrun.
      } else if (op && op.push !== undefined) {
        entries.push({ id: op.push, label: op.label, runIt: null });
        open.push(entries.length - 1);
        at = { push: entries.length - 1 };
      } else if (op) {
        const k = open.findIndex(function (i) { return entries[i].id === op.pop; });
        if (k >= 0) {
          const i = open.splice(k, 1)[0];
          entries[i].runIt = e.it;
          at = { pop: i };
        }
      }
      queueAt.push(at);
    });

    const states = [];
    let state = {
      step: -1, it: events.length ? events[0].it : 0,
      queue: [], timeouts: [], handlers: {}, handlerOrder: [],
      futures: {}, futureOrder: [], runners: {}, runnerOrder: [],
      generators: {}, generatorOrder: [], printed: [],
    };
    states.push(snapshot(state, -1));
    events.forEach(function (e, step) {
      state.step = step;
      state.it = e.it;
      apply(state, e, step);
      const q = queueAt[step];
      if (q && q.push !== undefined) state.queue.push(q.push);
      else if (q) state.queue = state.queue.filter(function (i) { return i !== q.pop; });
      states.push(snapshot(state, step));
    });
    return states;

    function snapshot(s, step) {
      const it = step >= 0 ? events[step].it : (n ? events[0].it : 0);
      // This iteration's batch: queued callbacks that run in this same iteration.
      const now = [], later = [];
      s.queue.forEach(function (i) {
        const entry = entries[i];
        (entry.runIt === it ? now : later).push({ id: entry.id, label: entry.label });
      });
      const timeouts = s.timeouts.slice().sort(function (a, b) {
        const fa = a in firesAt ? firesAt[a] : Infinity, fb = b in firesAt ? firesAt[b] : Infinity;
        return fa - fb;
      }).map(function (id) {
        return { id: id, fires: id in firesAt ? firesAt[id] : null };
      });
      const handlers = s.handlerOrder.filter(function (id) { return id in s.handlers; }).map(function (id) {
        const pending = handlerFires.some(function (f) {
          return f[0] === id && f[2] >= 0 && step >= f[2] && step < f[1];
        });
        return { id: id, events: s.handlers[id], pending: pending };
      });
      return {
        step: step, it: it, now: now, next: later, timeouts: timeouts, handlers: handlers,
        futures: s.futureOrder.map(function (id) { return Object.assign({ id: id }, s.futures[id]); }),
        runners: s.runnerOrder.map(function (id) { return Object.assign({ id: id }, s.runners[id]); }),
        generators: s.generatorOrder.map(function (id) { return { id: id, state: s.generators[id] }; }),
        printed: s.printed.slice(),
      };
    }
  }

  /**
   * What an event does to the loop's queue of ready work: `{push: id, label}` queues an
   * entry, `{pop: id}` runs the oldest entry of that id, `null` neither. Under Tornado
   * 4.5.3 the queue holds callbacks (`callback c1 scheduled`); under Tornado 6.6.1,
   * asyncio's `_ready` also holds a future's done-callbacks, scheduled with call_soon
   * until the loop runs them, and the timers that are due (`timeout t1 is due`) until
   * they fire.
   */
  function queueOp(e) {
    const a = e.action || "";
    let m;
    if (!e.subject) return null;
    if (e.kind === "callback") {
      if (a.indexOf("scheduled") === 0) return { push: e.subject, label: e.subject };
      if (a === "runs") return { pop: e.subject };
    } else if (e.kind === "future") {
      if ((m = /^schedules (done-callback .+?)( \(call_soon\))?$/.exec(a))) {
        return { push: e.subject + " " + m[1], label: e.subject + " " + m[1] };
      }
      if ((m = /^runs (done-callback \d+ of \d+)$/.exec(a))) return { pop: e.subject + " " + m[1] };
    } else if (e.kind === "timeout") {
      if (a === "is due") return { push: e.subject, label: e.subject + " (due)" };
      if (a === "fires" || a === "removed") return { pop: e.subject };
    }
    return null;
  }

  /** One event's change to the state (the queue's is `queueOp`'s). */
  function apply(s, e, step) {
    e.objects.forEach(function (o) {
      if (o.kind === "future" && !(o.id in s.futures)) {
        s.futures[o.id] = { state: "pending", detail: null, callbacks: "" };
        s.futureOrder.push(o.id);
      }
    });
    const a = e.action || "";
    // A line with no subject but a kind that needs one (a new kind of line the
    // vocabulary does not know yet) changes nothing here: it is still listed.
    if (!e.subject && ["timeout", "handler", "future", "runner", "generator"].indexOf(e.kind) >= 0) return;
    switch (e.kind) {
      case "timeout":
        if (a === "added") s.timeouts.push(e.subject);
        else s.timeouts = s.timeouts.filter(function (id) { return id !== e.subject; });
        break;
      case "handler":
        if (a === "added") { s.handlers[e.subject] = e.detail || ""; s.handlerOrder.push(e.subject); }
        else if (a === "removed") delete s.handlers[e.subject];
        break;
      case "future": {
        const f = s.futures[e.subject];
        if (!f) break;
        if (a === "set_result") { f.state = "done"; f.detail = "result"; }
        else if (a === "set_exception") { f.state = "done"; f.detail = e.detail; }
        else if (a === "cancelled") { f.state = "done"; f.detail = "cancelled"; }
        else if (a.indexOf("runs done-callback") === 0) f.callbacks = "ran " + a.replace("runs ", "");
        else if (a.indexOf("schedules done-callback") === 0) f.callbacks = "scheduled " + a.replace("schedules ", "").replace(" (call_soon)", "");
        break;
      }
      case "runner": {
        if (!(e.subject in s.runners)) { s.runners[e.subject] = { state: "", waits: "" }; s.runnerOrder.push(e.subject); }
        const r = s.runners[e.subject];
        if (a === "called") { r.state = "running"; r.waits = ""; }
        else if (a.indexOf("waits on ") === 0) { r.state = "waiting"; r.waits = a.slice(9); }
        else if (a === "waits one moment") { r.state = "waiting"; r.waits = "moment"; }
        else if (a.indexOf("starts ") === 0) { r.state = "waiting"; r.waits = a.slice(7); }
        else if (a.indexOf("first yield point ") === 0) { r.state = "waiting"; r.waits = a.slice(18); }
        else if (a.indexOf("sends the result of") === 0 || a.indexOf("throws into") === 0 || / is ready$/.test(a)) { r.state = "running"; r.waits = ""; }
        else if (a === "generator returned" || a === "generator raised") { r.state = "finished"; r.waits = ""; }
        break;
      }
      case "generator": {
        if (!(e.subject in s.generators)) s.generatorOrder.push(e.subject);
        if (a === "starts" || a.indexOf("resumed") === 0) s.generators[e.subject] = "running";
        else if (a === "yields") s.generators[e.subject] = "suspended";
        else if (a === "returns" || a === "raises") s.generators[e.subject] = "finished";
        break;
      }
      case "print":
        s.printed.push({ step: step, it: e.it, text: e.detail });
        break;
    }
  }

  // ---- The player's page elements --------------------------------------------------------

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }

  function panel(name, title) {
    const list = el("ul", { "data-panel": name });
    return { box: el("section", { class: "cp-panel" }, [el("h4", {}, [title]), list]), list: list };
  }

  function fill(list, items) {
    list.textContent = "";
    if (!items.length) { list.appendChild(el("li", { class: "cp-empty" }, ["(none)"])); return; }
    items.forEach(function (item) {
      const li = el("li", { "data-id": item.id, class: item.cls || "" }, [item.text]);
      if (item.title) li.setAttribute("title", item.title);
      list.appendChild(li);
    });
  }

  const MOVED_TITLE = "moved: the other side printed this line in another iteration (counted from its first printed line), or in another order";

  /**
   * Starts the player in `root`. `options.moved`, a set of steps, marks those printed
   * lines as moved (a pair's, `initPair`); `options.onMove(position)` hears every move.
   * Returns the player's handle (also `root.coursePlayer`), or null without data.
   */
  function init(root, options) {
    options = options || {};
    const moved = options.moved || new Set();
    const name = root.getAttribute("data-recording");
    const recording = (window.COURSE_RECORDINGS || {})[name];
    if (!recording) {
      root.textContent = "(no recording named " + name + ")";
      return null;
    }
    const states = derive(recording);
    const n = recording.events.length;
    let position = 0;

    const btn = function (label, title, key) { return el("button", { type: "button", title: title, "data-key": key }, [label]); };
    const first = btn("start", "the start (Home)", "first"), back = btn("◀", "previous step (←)", "back");
    const fwd = btn("▶", "next step (→)", "forward"), last = btn("end", "the end (End)", "last");
    const slider = el("input", { type: "range", min: "0", max: String(n), value: "0", "aria-label": "step" });
    const where = el("span", { class: "cp-where", "aria-live": "polite" });
    const lines = el("ol", { class: "cp-lines", start: "1" });
    recording.events.forEach(function (e, step) {
      const li = el("li", { "data-step": String(step), class: "cp-" + e.kind }, [e.line]);
      if (moved.has(step)) {
        li.classList.add("cp-moved");
        li.setAttribute("title", MOVED_TITLE);
        li.appendChild(el("span", { class: "cp-moved-tag" }, [" moved"]));
      }
      li.addEventListener("click", function () { go(step + 1); root.focus(); });
      lines.appendChild(li);
    });
    // Under Tornado 6 the queue is asyncio's `_ready`: done-callbacks and due timers too.
    const asyncio = recording.tornado && recording.tornado.indexOf("6.") === 0;
    const panels = {
      now: panel("now", asyncio ? "Ready now (asyncio's _ready), run in this iteration" : "Callbacks of this iteration"),
      next: panel("next", asyncio ? "Ready (asyncio's _ready), for the next iteration" : "Callbacks for the next iteration"),
      timeouts: panel("timeouts", "Timeouts, in the order they fire"),
      handlers: panel("handlers", "Handlers"),
      futures: panel("futures", "Futures"),
      runners: panel("runners", "Runners"),
      generators: panel("generators", "Generators"),
      printed: panel("printed", "Printed"),
    };
    root.setAttribute("tabindex", "0");
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", "player of the recording " + name + " (arrow keys step)");
    root.textContent = "";
    root.appendChild(el("div", { class: "cp-controls" }, [first, back, fwd, last, slider, where]));
    const grid = el("div", { class: "cp-panels" }, Object.keys(panels).map(function (k) { return panels[k].box; }));
    root.appendChild(el("div", { class: "cp-body" }, [lines, grid]));

    function go(p) {
      position = Math.max(0, Math.min(n, p));
      const s = states[position];
      slider.value = String(position);
      root.setAttribute("data-position", String(position));
      where.textContent = "step " + position + " of " + n + " · iteration " + s.it;
      Array.prototype.forEach.call(lines.children, function (li, i) {
        li.classList.toggle("cp-current", i === position - 1);
        li.classList.toggle("cp-future", i >= position);
      });
      const current = lines.children[position - 1];
      if (current) {
        const top = current.offsetTop - lines.offsetTop;
        if (top < lines.scrollTop || top > lines.scrollTop + lines.clientHeight - 20) lines.scrollTop = top - 40;
      }
      fill(panels.now.list, s.now.map(function (q) { return { id: q.id, text: q.label }; }));
      fill(panels.next.list, s.next.map(function (q) { return { id: q.id, text: q.label }; }));
      fill(panels.timeouts.list, s.timeouts.map(function (t) {
        return { id: t.id, text: t.id + (t.fires === null ? " (never fires)" : " (fires at step " + (t.fires + 1) + ")") };
      }));
      fill(panels.handlers.list, s.handlers.map(function (h) {
        return { id: h.id, text: h.id + " " + h.events + (h.pending ? " · event pending" : ""), cls: h.pending ? "cp-pending" : "" };
      }));
      fill(panels.futures.list, s.futures.map(function (f) {
        const text = f.id + " " + (f.state === "pending" ? "pending" : "done: " + f.detail) + (f.callbacks ? " · " + f.callbacks : "");
        return { id: f.id, text: text, cls: "cp-" + f.state };
      }));
      fill(panels.runners.list, s.runners.map(function (r) {
        return { id: r.id, text: "runner[" + r.id + "] " + r.state + (r.waits ? " on " + r.waits : "") };
      }));
      fill(panels.generators.list, s.generators.map(function (g) { return { id: g.id, text: g.id + " " + g.state }; }));
      fill(panels.printed.list, s.printed.map(function (p, i) {
        const latest = i === s.printed.length - 1 && p.step === position - 1;
        const cls = (latest ? "cp-latest" : "") + (moved.has(p.step) ? " cp-moved" : "");
        return { id: "p" + p.step, text: "[it=" + p.it + "] " + p.text, cls: cls.trim(), title: moved.has(p.step) ? MOVED_TITLE : null };
      }));
      first.disabled = back.disabled = position === 0;
      fwd.disabled = last.disabled = position === n;
      if (options.onMove) options.onMove(position);
    }

    first.addEventListener("click", function () { go(0); });
    back.addEventListener("click", function () { go(position - 1); });
    fwd.addEventListener("click", function () { go(position + 1); });
    last.addEventListener("click", function () { go(n); });
    slider.addEventListener("input", function () { go(parseInt(slider.value, 10)); });
    root.addEventListener("keydown", function (ev) {
      if (ev.target === slider) return; // the slider has its own keys
      const to = { ArrowRight: position + 1, j: position + 1, ArrowLeft: position - 1, k: position - 1, Home: 0, End: n }[ev.key];
      if (to === undefined) return;
      ev.preventDefault();
      ev.stopPropagation(); // the book's own ← → turn pages
      go(to);
    });
    go(0);
    root.coursePlayer = {
      go: go, states: states, recording: recording, n: n,
      position: function () { return position; },
    };
    return root.coursePlayer;
  }

  // ---- Two players side by side -------------------------------------------------------

  /**
   * The printed lines that moved between two recordings: `{left: Set, right: Set}` of
   * the steps of each side's print events that the other side does not print at the
   * same place, `[it=N] text` compared. The same algorithm, step for step, as the
   * course's `Recording::moved_prints` (crates/00-trace/src/compare.rs), which the tour
   * uses and the data's `counterpart` records: a longest common subsequence from the
   * end, the left line given up first on a tie.
   */
  function movedPrints(left, right) {
    // `[+N] text`: N iterations after the recording's first printed line (as
    // `Recording::moved_prints` counts), so that asyncio's one poll before its
    // first batch does not mark every line.
    const prints = function (recording) {
      const printed = recording.events.filter(function (e) { return e.kind === "print"; });
      const base = printed.length ? printed[0].it : 0;
      return printed.map(function (e) { return [e.step, "[+" + (e.it - base) + "] " + e.detail]; });
    };
    const a = prints(left), b = prints(right);
    const n = a.length, m = b.length;
    const lcs = [];
    for (let i = 0; i <= n; i++) lcs.push(new Array(m + 1).fill(0));
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        lcs[i][j] = a[i][1] === b[j][1] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    const moved = { left: new Set(), right: new Set() };
    let i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[i][1] === b[j][1]) { i++; j++; }
      else if (j === m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) moved.left.add(a[i++][0]);
      else moved.right.add(b[j++][0]);
    }
    return moved;
  }

  /** The position at the end of iteration `it` (events are in iteration order): -1 is 0. */
  function endOf(player, it) {
    const events = player.recording.events;
    let p = 0;
    while (p < events.length && events[p].it <= it) p++;
    return p;
  }

  /**
   * A pair, `<div class="course-player-pair" data-left="a" data-right="b"
   * data-left-title="..." data-right-title="...">`: two players side by side (stacked
   * on a narrow screen) whose printed lines that moved are marked on both sides, and
   * whose "next iteration" / "previous iteration" move both to the end of the same
   * `[it=N]`. Each side still steps on its own.
   *
   * Keys, once the pair's controls have the focus: → or j next iteration, ← or k
   * previous, Home both to the start, End both to the end. Inside a player, its own.
   */
  function initPair(root) {
    const names = [root.getAttribute("data-left"), root.getAttribute("data-right")];
    const data = names.map(function (name) { return (window.COURSE_RECORDINGS || {})[name]; });
    if (!data[0] || !data[1]) {
      root.textContent = "(no recording named " + names[data[0] ? 1 : 0] + ")";
      return;
    }
    const titles = [
      root.getAttribute("data-left-title") || names[0],
      root.getAttribute("data-right-title") || names[1],
    ];
    const moved = movedPrints(data[0], data[1]);
    const btn = function (label, title, key) { return el("button", { type: "button", title: title, "aria-label": title, "data-key": key }, [label]); };
    const first = btn("start", "both to the start (Home)", "pair-first");
    const back = btn("◀ iteration", "previous iteration, on both sides (←)", "pair-back");
    const fwd = btn("iteration ▶", "next iteration, on both sides (→)", "pair-forward");
    const last = btn("end", "both to the end (End)", "pair-last");
    const where = el("span", { class: "cp-where", "aria-live": "polite" });
    const count = moved.left.size + moved.right.size;
    const legend = el("p", { class: "cpp-legend" }, [
      el("span", { class: "cp-moved-key" }, ["moved"]),
      count
        ? " a printed line that the other side printed in another iteration (counted from its first printed line), or in another order (" +
          moved.left.size + " on the left, " + moved.right.size + " on the right)"
        : " (no printed line moved: both print the same lines, in the same iterations)",
    ]);
    const sides = [0, 1].map(function (k) {
      const player = el("div", { class: "course-player", "data-recording": names[k] });
      return { box: el("section", { class: "cpp-side", "aria-label": titles[k] }, [el("h4", {}, [titles[k]]), player]), player: player };
    });
    root.textContent = "";
    root.setAttribute("tabindex", "0");
    root.setAttribute("role", "group");
    root.setAttribute("aria-label", "two players side by side: " + titles[0] + " and " + titles[1] + " (arrow keys step both by iteration)");
    root.appendChild(el("div", { class: "cp-controls cpp-controls" }, [first, back, fwd, last, where]));
    root.appendChild(legend);
    root.appendChild(el("div", { class: "cpp-sides" }, sides.map(function (side) { return side.box; })));

    let players = [];
    const update = function () {
      if (players.length < 2) return;
      const its = players.map(function (p) { return p.states[p.position()].it; });
      const ends = players.map(function (p) { return p.position() === p.n; });
      where.textContent = its[0] === its[1]
        ? "iteration " + its[0] + " on both sides"
        : "iteration " + its[0] + " on the left, " + its[1] + " on the right";
      root.setAttribute("data-iterations", its.join(" "));
      first.disabled = back.disabled = players.every(function (p) { return p.position() === 0; });
      fwd.disabled = last.disabled = ends[0] && ends[1];
    };
    players = [0, 1].map(function (k) {
      return init(sides[k].player, { moved: k === 0 ? moved.left : moved.right, onMove: update });
    });
    update();

    // The first iteration not fully shown on the side further on: both go to its end
    // (a side with fewer iterations, finished by then, goes to its own end).
    const nextIteration = function () {
      const next = players.map(function (p) { const e = p.recording.events[p.position()]; return e ? e.it : -Infinity; });
      const it = Math.max(next[0], next[1]);
      if (it === -Infinity) return;
      players.forEach(function (p) { p.go(endOf(p, it)); });
    };
    // The last iteration that ended before where the side further on stands (a side
    // that had finished by then, having fewer iterations, stays at its end).
    const previousIteration = function () {
      const it = Math.max.apply(null, players.map(function (p) {
        let it = p.position() > 0 ? p.recording.events[p.position() - 1].it : -1;
        while (it >= 0 && endOf(p, it) >= p.position()) it--;
        return it;
      }));
      players.forEach(function (p) { p.go(endOf(p, it)); });
    };
    first.addEventListener("click", function () { players.forEach(function (p) { p.go(0); }); });
    back.addEventListener("click", previousIteration);
    fwd.addEventListener("click", nextIteration);
    last.addEventListener("click", function () { players.forEach(function (p) { p.go(p.n); }); });
    root.addEventListener("keydown", function (ev) {
      if (sides.some(function (side) { return side.player.contains(ev.target); })) return; // a player's own keys
      const act = {
        ArrowRight: nextIteration, j: nextIteration, ArrowLeft: previousIteration, k: previousIteration,
        Home: function () { players.forEach(function (p) { p.go(0); }); },
        End: function () { players.forEach(function (p) { p.go(p.n); }); },
      }[ev.key];
      if (!act) return;
      ev.preventDefault();
      ev.stopPropagation(); // the book's own ← → turn pages
      act();
    });
    root.coursePair = { players: players, moved: moved, next: nextIteration, previous: previousIteration };
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".course-player-pair"), initPair);
    Array.prototype.forEach.call(document.querySelectorAll(".course-player"), function (root) {
      if (!root.coursePlayer) init(root);
    });
  }
  window.CoursePlayer = { derive: derive, movedPrints: movedPrints };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
