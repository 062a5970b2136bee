// The built book in a real browser: Debian's chromium, driven by playwright-core.
//
//   node tests/browser/book.test.mjs [BOOK_DIR]      (BOOK_DIR: target/book)
//
// 1. Every page of the book loads from file:// with no console error, no failed
//    request and no broken image.
// 2. On three scenarios, one per era of the course (callbacks, coroutines, yield
//    points), the player steps forward to the end and back to the start with the
//    keyboard, and at chosen steps its panels show exactly the state this test derives
//    from the recording's data itself (a second, independent reading of the events).
//    One of them is a Tornado 6 recording (asyncio's ready queue: done-callbacks and due
//    timers wait in it), played inside a pair.
// 3. Every pair of players (course-player-pair) starts; its moved printed lines are
//    those the data's `counterpart` records (Rust's Recording::moved_prints); "next
//    iteration" moves both sides to the end of the same [it=N], "previous iteration"
//    back; a side still steps on its own.
// 4. A screenshot of one player is written to target/browser/player.png, and one of a
//    pair to target/browser/pair.png, for a person.
//
// CHROMIUM (default /usr/bin/chromium) names the browser. Exits non-zero on a failure.

import { chromium } from "playwright-core";
import { readFileSync, readdirSync, mkdirSync, statSync } from "node:fs";
import { join, resolve, relative } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(new URL("../..", import.meta.url).pathname);
const book = resolve(process.argv[2] || join(root, "target/book"));
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
const failures = [];
const fail = (what) => { failures.push(what); console.log("FAIL " + what); };

/** The scenarios whose players are driven: one per era of the course. */
const PLAYED = [
  ["callbacks", "ch03_iteration_order"],
  ["coroutines", "ch05_first_step"],
  ["yield points", "ch06_arguments_multi"],
  ["Tornado 6", "ch02_done_callbacks.tornado6"],
];

function pages(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "fonts" || name === "FontAwesome" ? [] : pages(path);
    // 404.html is for a web server: its links are absolute, to the site's root.
    return name.endsWith(".html") && name !== "404.html" ? [path] : [];
  });
}

// ---- The test's own reading of a recording ---------------------------------------------

/**
 * The loop's queue of ready work, every entry with the step it was queued at, the step
 * it ran at and its iteration: callbacks (`scheduled` ... `runs`), and under Tornado 6
 * a future's done-callbacks (`schedules done-callback 1 of 2 (call_soon)` ... `runs
 * done-callback 1 of 2`) and due timers (`is due` ... `fires`; a removed one is dropped).
 * An entry runs the first time its name runs after it was queued.
 */
function queueEntries(events) {
  const entries = [], open = [], removed = new Set();
  events.forEach((e, step) => {
    let push = null, pop = null, m;
    if (e.kind === "callback" && e.action.startsWith("scheduled")) push = e.subject;
    if (e.kind === "callback" && e.action === "runs") pop = e.subject;
    if (e.kind === "future" && (m = e.action.match(/^schedules (done-callback \d+ of \d+)/))) push = `${e.subject} ${m[1]}`;
    if (e.kind === "future" && (m = e.action.match(/^runs (done-callback \d+ of \d+)$/))) pop = `${e.subject} ${m[1]}`;
    if (e.kind === "timeout" && e.action === "removed") { removed.add(e.subject); pop = e.subject; }
    if (e.kind === "timeout" && e.action === "is due" && !removed.has(e.subject)) push = e.subject;
    if (e.kind === "timeout" && e.action === "fires") pop = e.subject;
    if (push) { const entry = { id: push, queued: step, ran: Infinity, it: null }; entries.push(entry); open.push(entry); }
    const k = pop ? open.findIndex((x) => x.id === pop) : -1;
    if (k >= 0) { const [x] = open.splice(k, 1); x.ran = step; x.it = e.it; }
  });
  return entries;
}

/** The state after the first `position` events, read directly from the data. */
function expected(recording, position) {
  const events = recording.events;
  const done = events.slice(0, position);
  const it = position > 0 ? done[position - 1].it : (events.length ? events[0].it : 0);
  const timeouts = new Set();
  const futures = new Map();
  const generators = new Map();
  for (const e of done) {
    for (const o of e.objects) if (o.kind === "future" && !futures.has(o.id)) futures.set(o.id, "pending");
    if (e.kind === "timeout" && e.action === "added") timeouts.add(e.subject);
    if (e.kind === "timeout" && e.action !== "added") timeouts.delete(e.subject);
    if (e.kind === "future" && ["set_result", "set_exception", "cancelled"].includes(e.action)) futures.set(e.subject, "done");
    if (e.kind === "generator") {
      const state = { starts: "running", yields: "suspended", returns: "finished", raises: "finished" }[e.action]
        || (e.action.startsWith("resumed") ? "running" : generators.get(e.subject));
      generators.set(e.subject, state);
    }
  }
  // Queued and not yet run; this iteration's batch is what runs in this iteration.
  const queued = queueEntries(events).filter((x) => x.queued < position && x.ran >= position);
  return {
    it,
    now: queued.filter((x) => x.it === it).map((x) => x.id),
    next: queued.filter((x) => x.it !== it).map((x) => x.id),
    timeouts: [...timeouts].sort(),
    futures: [...futures].map(([id, state]) => id + " " + state),
    generators: [...generators].map(([id, state]) => id + " " + state),
    printed: done.filter((e) => e.kind === "print").map((e) => `[it=${e.it}] ${e.detail}`),
  };
}

/** The position at the end of iteration `it`: every event of an iteration up to `it`. */
const endOf = (recording, it) => recording.events.filter((e) => e.it <= it).length;

/** What the player's panels show now. */
async function shown(player) {
  return player.evaluate((root) => {
    const ids = (panel) => [...root.querySelectorAll(`[data-panel=${panel}] li[data-id]`)].map((li) => li.dataset.id);
    const texts = (panel) => [...root.querySelectorAll(`[data-panel=${panel}] li[data-id]`)].map((li) => li.textContent);
    return {
      position: Number(root.dataset.position),
      where: root.querySelector(".cp-where").textContent,
      now: ids("now"),
      next: ids("next"),
      timeouts: ids("timeouts").sort(),
      futures: texts("futures").map((t) => t.split(" ")[0] + " " + (t.includes(" pending") ? "pending" : "done")),
      generators: texts("generators"),
      printed: texts("printed"),
      current: root.querySelector(".cp-current")?.dataset.step ?? null,
    };
  });
}

const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
  page.on("pageerror", (e) => problems.push("script error: " + e.message));
  page.on("requestfailed", (r) => problems.push("failed to load " + r.url()));

  // 1. Every page.
  const all = pages(book);
  for (const path of all) {
    problems.length = 0;
    await page.goto(pathToFileURL(path).href, { waitUntil: "load" });
    const broken = await page.evaluate(() =>
      [...document.images].filter((img) => !img.complete || img.naturalWidth === 0).map((img) => img.getAttribute("src")));
    for (const src of broken) problems.push("broken image " + src);
    const players = await page.locator(".course-player").count();
    const drawn = await page.locator(".course-player .cp-controls").count();
    if (drawn !== players) problems.push(`${players - drawn} of its ${players} players did not start`);
    const pairs = await page.locator(".course-player-pair").count();
    const pairsDrawn = await page.locator(".course-player-pair > .cpp-controls").count();
    if (pairsDrawn !== pairs) problems.push(`${pairs - pairsDrawn} of its ${pairs} pairs of players did not start`);
    for (const p of problems) fail(`${relative(book, path)}: ${p}`);
  }
  console.log(`ok   ${all.length} pages load with no console error, failed request or broken image`);

  // 2. Three players, forward to the end and back, their panels checked on the way.
  let screenshot = false;
  for (const [era, name] of PLAYED) {
    const recording = JSON.parse(readFileSync(join(book, "recordings", name + ".json"), "utf8"));
    const n = recording.events.length;
    // A player of its own, or one side of a pair.
    const host = all.find((path) => path.endsWith(".html") && !path.endsWith("print.html")
      && [...readFileSync(path, "utf8").matchAll(/data-(?:recording|left|right)="([^"]*)"/g)].some((m) => m[1] === name));
    if (!host) { fail(`${name}: no page of the book has its player`); continue; }
    await page.goto(pathToFileURL(host).href, { waitUntil: "load" });
    // The page's first player of that recording (a page may show it alone and in a pair).
    const player = page.locator(`.course-player[data-recording="${name}"]`).first();
    await player.scrollIntoViewIfNeeded();
    await player.focus();
    const checkpoints = new Set([0, 1, Math.floor(n / 4), Math.floor(n / 2), Math.floor((3 * n) / 4), n]);
    let checked = 0;
    const check = async (position, direction) => {
      const got = await shown(player);
      if (got.position !== position) { fail(`${name}: ${direction}, at step ${position} the player says ${got.position}`); return; }
      if (!checkpoints.has(position)) return;
      const want = expected(recording, position);
      for (const key of ["now", "next", "timeouts", "futures", "generators"]) {
        if (JSON.stringify(got[key]) !== JSON.stringify(want[key])) {
          fail(`${name} step ${position} (${direction}): ${key} shows ${JSON.stringify(got[key])}, the recording implies ${JSON.stringify(want[key])}`);
        }
      }
      const printed = got.printed.join("\n"), wantPrinted = want.printed.join("\n");
      if (printed !== wantPrinted) fail(`${name} step ${position}: printed ${JSON.stringify(got.printed)}, expected ${JSON.stringify(want.printed)}`);
      if (!got.where.includes(`iteration ${want.it}`)) fail(`${name} step ${position}: "${got.where}" is not iteration ${want.it}`);
      const current = position === 0 ? null : String(position - 1);
      if (got.current !== current) fail(`${name} step ${position}: the highlighted line is ${got.current}, not ${current}`);
      checked++;
    };
    await check(0, "forward");
    for (let p = 1; p <= n; p++) {
      await page.keyboard.press("ArrowRight");
      await check(p, "forward");
      if (!screenshot && era === "callbacks" && p === 14) {
        mkdirSync(join(root, "target/browser"), { recursive: true });
        await player.screenshot({ path: join(root, "target/browser/player.png") });
        screenshot = true;
      }
    }
    await page.keyboard.press("ArrowRight"); // past the end: stays
    await check(n, "past the end");
    for (let p = n - 1; p >= 0; p--) {
      await page.keyboard.press("ArrowLeft");
      await check(p, "back");
    }
    // A click on a line goes to it; End and Home jump.
    await player.locator(`.cp-lines li[data-step="${Math.floor(n / 2)}"]`).click();
    await check(Math.floor(n / 2) + 1, "clicked");
    await page.keyboard.press("End");
    await check(n, "End");
    await page.keyboard.press("Home");
    await check(0, "Home");
    console.log(`ok   ${era}: ${name}, ${n} steps forward and back, panels checked at ${checked} stops`);
  }
  if (screenshot) console.log("     a player's screenshot: target/browser/player.png");

  // 3. Every pair of players in the book.
  const hosts = all.filter((path) => !path.endsWith("print.html") && readFileSync(path, "utf8").includes("course-player-pair\""));
  if (!hosts.length) fail("no page of the book has a pair of players");
  let pairShot = false;
  for (const host of hosts) {
    await page.goto(pathToFileURL(host).href, { waitUntil: "load" });
    const count = await page.locator(".course-player-pair").count();
    for (let k = 0; k < count; k++) {
      const pair = page.locator(".course-player-pair").nth(k);
      const names = [await pair.getAttribute("data-left"), await pair.getAttribute("data-right")];
      const what = `${relative(book, host)}, pair ${names.join(" | ")}`;
      const data = names.map((name) => JSON.parse(readFileSync(join(book, "recordings", name + ".json"), "utf8")));
      const sides = names.map((name) => pair.locator(`.course-player[data-recording="${name}"]`));
      // The moved lines: what Rust recorded in the data, on both sides, in the lines and
      // in the printed panel once everything is printed.
      const counterpart = data[0].counterpart;
      if (!counterpart || counterpart.recording !== names[1]) { fail(`${what}: the left data has no counterpart ${names[1]}`); continue; }
      const want = [counterpart.moved_here, counterpart.moved_there];
      for (const s of [0, 1]) {
        const got = await sides[s].evaluate((root) => [...root.querySelectorAll(".cp-lines li.cp-moved")].map((li) => Number(li.dataset.step)));
        if (JSON.stringify(got) !== JSON.stringify(want[s])) fail(`${what}: side ${s} marks ${JSON.stringify(got)} moved, the data says ${JSON.stringify(want[s])}`);
        const badKinds = got.filter((step) => data[s].events[step].kind !== "print");
        if (badKinds.length) fail(`${what}: side ${s} marks machinery lines moved: ${badKinds}`);
      }
      if (!(await pair.locator(".cpp-legend .cp-moved-key").count())) fail(`${what}: no legend for the moved lines`);
      // Next iteration, to the end: both sides at the end of the same iteration each time.
      const positions = () => Promise.all(sides.map(async (side) => Number(await side.getAttribute("data-position"))));
      const next = pair.locator('button[data-key="pair-forward"]');
      const previous = pair.locator('button[data-key="pair-back"]');
      if ((await next.getAttribute("aria-label")) === null) fail(`${what}: "next iteration" has no label`);
      const last = Math.max(...data.map((d) => d.events[d.events.length - 1].it));
      let clicks = 0;
      for (let it = 0; it <= last; it++) {
        await next.click();
        clicks++;
        const got = await positions();
        const wanted = data.map((d) => endOf(d, it));
        if (JSON.stringify(got) !== JSON.stringify(wanted)) { fail(`${what}: after "next iteration" ${clicks} times, positions ${got}, not the ends of [it=${it}] ${wanted}`); break; }
      }
      if (!(await next.isDisabled())) fail(`${what}: "next iteration" still enabled at the end`);
      await previous.click();
      const back = await positions();
      if (JSON.stringify(back) !== JSON.stringify(data.map((d) => endOf(d, last - 1)))) fail(`${what}: "previous iteration" went to ${back}`);
      // The keyboard: → on the pair (not inside a player) is "next iteration" again.
      await pair.focus();
      await page.keyboard.press("ArrowRight");
      if (JSON.stringify(await positions()) !== JSON.stringify(data.map((d) => endOf(d, last)))) fail(`${what}: → on the pair did not step both by an iteration`);
      // A side on its own: Home on the pair, then → inside the left player only.
      await pair.focus();
      await page.keyboard.press("Home");
      if (JSON.stringify(await positions()) !== "[0,0]") fail(`${what}: Home on the pair went to ${await positions()}`);
      await sides[0].focus();
      await page.keyboard.press("ArrowRight");
      if (JSON.stringify(await positions()) !== "[1,0]") fail(`${what}: a step of the left side moved ${await positions()}`);
      if (!pairShot) {
        await pair.locator('button[data-key="pair-first"]').click();
        await next.click();
        await next.click();
        mkdirSync(join(root, "target/browser"), { recursive: true });
        await pair.screenshot({ path: join(root, "target/browser/pair.png") });
        pairShot = true;
      }
      console.log(`ok   ${what}: ${want[0].length + want[1].length} moved lines marked as the data says, ${clicks} iterations stepped together`);
    }
  }
} finally {
  await browser.close();
}
if (failures.length) {
  console.log(`${failures.length} failures`);
  process.exit(1);
}
