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
    const runsAt = {}; // callback id -> [step, iteration] of its "runs"
    const firesAt = {}; // timeout id -> step of its "fires"
    const handlerFires = []; // [handler id, step of "fires", step of the poll before]
    let lastPoll = -1;
    events.forEach(function (e, step) {
      if (e.kind === "callback" && e.action === "runs" && !(e.subject in runsAt)) runsAt[e.subject] = [step, e.it];
      if (e.kind === "timeout" && e.action === "fires") firesAt[e.subject] = step;
      if (e.kind === "poll") lastPoll = step;
      if (e.kind === "handler" && e.action === "fires") handlerFires.push([e.subject, step, lastPoll]);
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
      states.push(snapshot(state, step));
    });
    return states;

    function snapshot(s, step) {
      const it = step >= 0 ? events[step].it : (n ? events[0].it : 0);
      // This iteration's batch: queued callbacks that run in this same iteration.
      const now = [], later = [];
      s.queue.forEach(function (id) {
        const r = runsAt[id];
        (r && r[1] === it ? now : later).push(id);
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

  /** One event's change to the state. */
  function apply(s, e, step) {
    e.objects.forEach(function (o) {
      if (o.kind === "future" && !(o.id in s.futures)) {
        s.futures[o.id] = { state: "pending", detail: null, callbacks: "" };
        s.futureOrder.push(o.id);
      }
    });
    const a = e.action;
    switch (e.kind) {
      case "callback":
        if (a.indexOf("scheduled") === 0) s.queue.push(e.subject);
        else if (a === "runs") s.queue = s.queue.filter(function (id) { return id !== e.subject; });
        break;
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
        if (a === "set_result") { f.state = "done"; f.detail = "result"; }
        else if (a === "set_exception") { f.state = "done"; f.detail = e.detail; }
        else if (a.indexOf("runs done-callback") === 0) f.callbacks = a.replace("runs ", "");
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
      list.appendChild(el("li", { "data-id": item.id, class: item.cls || "" }, [item.text]));
    });
  }

  function init(root) {
    const name = root.getAttribute("data-recording");
    const recording = (window.COURSE_RECORDINGS || {})[name];
    if (!recording) {
      root.textContent = "(no recording named " + name + ")";
      return;
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
      li.addEventListener("click", function () { go(step + 1); root.focus(); });
      lines.appendChild(li);
    });
    const panels = {
      now: panel("now", "Callbacks of this iteration"),
      next: panel("next", "Callbacks for the next iteration"),
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
      fill(panels.now.list, s.now.map(function (id) { return { id: id, text: id }; }));
      fill(panels.next.list, s.next.map(function (id) { return { id: id, text: id }; }));
      fill(panels.timeouts.list, s.timeouts.map(function (t) {
        return { id: t.id, text: t.id + (t.fires === null ? " (never fires)" : " (fires at step " + (t.fires + 1) + ")") };
      }));
      fill(panels.handlers.list, s.handlers.map(function (h) {
        return { id: h.id, text: h.id + " " + h.events + (h.pending ? " · event pending" : ""), cls: h.pending ? "cp-pending" : "" };
      }));
      fill(panels.futures.list, s.futures.map(function (f) {
        const text = f.id + " " + (f.state === "pending" ? "pending" : "done: " + f.detail) + (f.callbacks ? " · ran " + f.callbacks : "");
        return { id: f.id, text: text, cls: "cp-" + f.state };
      }));
      fill(panels.runners.list, s.runners.map(function (r) {
        return { id: r.id, text: "runner[" + r.id + "] " + r.state + (r.waits ? " on " + r.waits : "") };
      }));
      fill(panels.generators.list, s.generators.map(function (g) { return { id: g.id, text: g.id + " " + g.state }; }));
      fill(panels.printed.list, s.printed.map(function (p, i) {
        const latest = i === s.printed.length - 1 && p.step === position - 1;
        return { id: "p" + p.step, text: "[it=" + p.it + "] " + p.text, cls: latest ? "cp-latest" : "" };
      }));
      first.disabled = back.disabled = position === 0;
      fwd.disabled = last.disabled = position === n;
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
    root.coursePlayer = { go: go, states: states };
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".course-player"), init);
  }
  window.CoursePlayer = { derive: derive };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
