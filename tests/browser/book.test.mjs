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
// 3. A screenshot of one player is written to target/browser/player.png, for a person.
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

/** The state after the first `position` events, read directly from the data. */
function expected(recording, position) {
  const events = recording.events;
  const done = events.slice(0, position);
  const it = position > 0 ? done[position - 1].it : (events.length ? events[0].it : 0);
  const queued = [];
  const timeouts = new Set();
  const futures = new Map();
  const generators = new Map();
  for (const e of done) {
    for (const o of e.objects) if (o.kind === "future" && !futures.has(o.id)) futures.set(o.id, "pending");
    if (e.kind === "callback" && e.action.startsWith("scheduled")) queued.push(e.subject);
    if (e.kind === "callback" && e.action === "runs") queued.splice(queued.indexOf(e.subject), 1);
    if (e.kind === "timeout" && e.action === "added") timeouts.add(e.subject);
    if (e.kind === "timeout" && e.action !== "added") timeouts.delete(e.subject);
    if (e.kind === "future" && (e.action === "set_result" || e.action === "set_exception")) futures.set(e.subject, "done");
    if (e.kind === "generator") {
      const state = { starts: "running", yields: "suspended", returns: "finished", raises: "finished" }[e.action]
        || (e.action.startsWith("resumed") ? "running" : generators.get(e.subject));
      generators.set(e.subject, state);
    }
  }
  // A queued callback belongs to this iteration's batch if it runs in this iteration.
  const runsIn = (id) => events.find((e) => e.kind === "callback" && e.action === "runs" && e.subject === id)?.it;
  return {
    it,
    now: queued.filter((id) => runsIn(id) === it),
    next: queued.filter((id) => runsIn(id) !== it),
    timeouts: [...timeouts].sort(),
    futures: [...futures].map(([id, state]) => id + " " + state),
    generators: [...generators].map(([id, state]) => id + " " + state),
    printed: done.filter((e) => e.kind === "print").map((e) => `[it=${e.it}] ${e.detail}`),
  };
}

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
    for (const p of problems) fail(`${relative(book, path)}: ${p}`);
  }
  console.log(`ok   ${all.length} pages load with no console error, failed request or broken image`);

  // 2. Three players, forward to the end and back, their panels checked on the way.
  let screenshot = false;
  for (const [era, name] of PLAYED) {
    const recording = JSON.parse(readFileSync(join(book, "recordings", name + ".json"), "utf8"));
    const n = recording.events.length;
    const host = all.find((path) => path.endsWith(".html") && !path.endsWith("print.html")
      && readFileSync(path, "utf8").includes(`data-recording="${name}"`));
    if (!host) { fail(`${name}: no page of the book has its player`); continue; }
    await page.goto(pathToFileURL(host).href, { waitUntil: "load" });
    const player = page.locator(`.course-player[data-recording="${name}"]`);
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
} finally {
  await browser.close();
}
if (failures.length) {
  console.log(`${failures.length} failures`);
  process.exit(1);
}
