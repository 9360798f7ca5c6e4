// The review studio's page: pages as images with a button over every line of text, an editor
// for the selected message, and live updates from /api/events. No framework: plain DOM.
"use strict";

const view = {
  project: null,
  lang: null,
  leaflet: null,
  data: null,
  source: null,
  selected: null,
  baseline: null,
  expecting: null,
  refused: null,
  conflict: null,
  filter: "all",
};

function keyOf(m) {
  return (m.context === null || m.context === undefined ? "" : m.context) + "\u0004" + m.id;
}
// A placeholder such as %(number)s must not break across lines: a translator reading "%" on
// one line and "(number)s" on the next would copy it with a space. In right-to-left text it
// keeps its own order (dir=ltr isolates it), as it prints.
const PLACEHOLDER = /(%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%])/;
function unbroken(text) {
  return String(text)
    .split(PLACEHOLDER)
    .map((part, i) =>
      i % 2 ? el("span", { class: "placeholder", dir: "ltr", text: part }) : part,
    );
}
// The newest message in #status; the ones before it stay listed under it (#log), so that one
// never silently replaces another. A progress note ("Saving…") gives way to what follows it.
function say(text, progress = false) {
  const status = $("status");
  if (status.textContent && status.dataset.progress !== "yes") {
    $("log").prepend(el("li", { text: status.textContent }));
    while ($("log").children.length > 4) $("log").lastChild.remove();
  }
  status.textContent = text;
  status.dataset.progress = progress ? "yes" : "no";
}
function short(text, n = 90) {
  text = (text || "").replace(/\s+/g, " ").trim();
  return text.length > n ? text.slice(0, n - 1) + "…" : text;
}

// ------------------------------------------------------------------ choosing what to show

// What the signed-in person's role lets them do, in the language shown (people.py).
function canEdit() {
  return (
    SESSION.role === "coordinator" ||
    (["reviewer", "translator"].includes(SESSION.role) && SESSION.languages.includes(view.lang))
  );
}
function canApprove() {
  return (
    SESSION.role === "coordinator" ||
    (SESSION.role === "reviewer" && SESSION.languages.includes(view.lang))
  );
}
function canWithdraw(message) {
  return (
    SESSION.role === "coordinator" || (canApprove() && message.review.reviewer === SESSION.name)
  );
}

function showWho() {
  const where = SESSION.languages.length ? `, ${SESSION.languages.join(", ")}` : "";
  $("who-name").textContent = SESSION.name;
  $("who-role").textContent = `${roleName(SESSION.role)}${where}`;
  $("signout").hidden = SESSION.local;
  $("signout").addEventListener("click", async () => {
    await api("/api/signout", { method: "POST", body: "{}" });
    location.reload();
  });
}

async function start() {
  SESSION = (await api("/api/session")).body;
  showWho();
  $("show-approved").addEventListener("change", () =>
    document.body.classList.toggle("show-approved", $("show-approved").checked),
  );
  setUpView();
  document.body.classList.toggle("show-approved", $("show-approved").checked);
  const { body } = await api("/api/project");
  view.project = body;
  for (const lang of body.languages) {
    const label = lang.source
      ? t("{language} ({code}, source)", { language: lang.name, code: lang.code })
      : `${lang.name} (${lang.code})`;
    $("lang").append(el("option", { value: lang.code, text: label }));
  }
  for (const leaflet of body.leaflets)
    $("leaflet").append(el("option", { value: leaflet.name, text: leaflet.title }));
  const [lang, leaflet] = location.hash.slice(1).split("/");
  const first = body.languages.find((l) => !l.source) || body.languages[0];
  $("lang").value = body.languages.some((l) => l.code === lang) ? lang : first.code;
  $("leaflet").value = body.leaflets.some((l) => l.name === leaflet)
    ? leaflet
    : body.leaflets[0].name;
  $("lang").addEventListener("change", choose);
  $("leaflet").addEventListener("change", choose);
  $("save").addEventListener("click", save);
  $("undo").addEventListener("click", () => {
    if (view.selected) showEditor(view.selected, true);
  });
  $("approve").addEventListener("click", approveShown);
  $("close-editor").addEventListener("click", backToPage);
  $("keep-mine").addEventListener("click", keepMine);
  $("take-theirs").addEventListener("click", takeTheirs);
  setUpFinding();
  setUpComments();
  $("withdraw").addEventListener("click", () => approveKeys([view.selected], false));
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") hideTip();
  });
  listen();
  await choose();
}

async function choose() {
  view.lang = $("lang").value;
  view.leaflet = $("leaflet").value;
  history.replaceState(null, "", `#${view.lang}/${view.leaflet}`);
  view.selected = null;
  showEditor(null);
  openSheet(false);
  await load();
}

// One load at a time: events that arrive during one ask for one more, not one each.
let loading = null,
  again = false;
async function load() {
  if (loading) {
    again = true;
    return loading;
  }
  loading = (async () => {
    do {
      again = false;
      await fetchAndDraw();
    } while (again);
  })();
  try {
    await loading;
  } finally {
    loading = null;
  }
}

async function fetchAndDraw() {
  const lang = view.lang,
    leaflet = view.leaflet,
    source = view.project.source;
  $("pages").setAttribute("aria-busy", "true");
  const requests = [api(`/api/leaflets/${lang}/${leaflet}`)];
  if (lang !== source) requests.push(api(`/api/leaflets/${source}/${leaflet}`));
  const [target, original] = await Promise.all(requests);
  if (lang !== view.lang || leaflet !== view.leaflet) return; // chosen again meanwhile
  // Fetch the new images before swapping them in, so the page does not flash blank.
  const urls = [target, original]
    .filter(Boolean)
    .flatMap((a) => (a.body.pages || []).map((p) => sized(p)));
  await Promise.all(
    urls.map((url) => {
      const img = new Image();
      img.src = url;
      return img.decode().catch(() => null);
    }),
  );
  if (lang !== view.lang || leaflet !== view.leaflet) return;
  view.data = target.body;
  view.source = original ? original.body : null;
  draw();
  $("pages").setAttribute("aria-busy", view.data.state === "rendering" ? "true" : "false");
}

// ------------------------------------------------------------------ drawing the pages

function draw() {
  const data = view.data;
  if (!data) return;
  const isSource = data.language.code === view.project.source;
  document.body.classList.toggle("source-view", isSource);
  $("legend-text").textContent = isSource
    ? t(
        "The English comes from the templates and is not edited here: choose a language to translate or review it.",
      )
    : t(
        "Click any text on a page to edit it, or Tab to the page, choose a text with the arrow keys and press Enter.",
      );
  const focused =
    document.activeElement && document.activeElement.classList.contains("msg")
      ? document.activeElement.dataset.key
      : null;
  showErrors([...(data.errors || []), ...(view.source ? view.source.errors || [] : [])]);
  showLanguageState(data);
  // What `leaflets build` would say about text that does not fit: the msgid to shorten.
  const problems = [data.overflow_problem, data.page_count_problem]
    .filter(Boolean)
    .flatMap((p) => p.split("\n"));
  $("problems").replaceChildren(
    ...problems.map((p) => el("p", { text: t("Does not fit: {text}", { text: p }) })),
  );
  const pages = $("pages");
  const rows = pageRows(data); // view.js: the English above, below, beside or hidden
  if (!rows.length)
    rows.push(
      el("p", {
        class: "hint",
        text:
          data.state === "rendering"
            ? t("Rendering…")
            : t("No pages to show: see the error above."),
      }),
    );
  pages.replaceChildren(...rows);
  showPages();
  drawList(data);
  if (focused) {
    const again = document.querySelector(
      `.msg[data-key="${CSS.escape(focused)}"]:not([aria-hidden])`,
    );
    if (again) rove(again).focus();
  }
  if (view.selected) {
    const again = data.messages.find((m) => keyOf(m) === keyOf(view.selected));
    if (again) {
      view.selected = again;
      mark(again);
      noticeChange(again);
      refreshEditor(again);
    }
  }
}

function figure(data, page, isSource) {
  const name = data.language.name;
  const numbers = { page: page.number, pages: data.pages.length };
  // The name stays a placeholder here, to go into its own <bdi> below.
  const caption = (
    isSource
      ? t("{language} (source), page {page} of {pages}", numbers)
      : t("{language}, page {page} of {pages}", numbers)
  ).split("{language}");
  const img = el("img", {
    src: sized(page), // view.js: larger when zoomed
    "data-width-px": page.width_px,
    alt: t(
      "{leaflet} in {language}, page {page}. The text is listed as buttons after this image.",
      { leaflet: data.leaflet.title, language: name, page: page.number },
    ),
  });
  const sheet = el("div", {
    class: "sheet",
    "data-page": page.number,
    "data-lang": data.language.code,
  });
  sheet.append(img);
  const boxes = [];
  for (const message of data.messages) {
    message.boxes
      .filter((b) => b.page === page.number)
      .forEach((box, i) => boxes.push([message, box, i]));
  }
  // Tab follows document order, which is the reading order in either direction (the tri-fold's
  // cover first, a right-to-left page from the right).
  boxes.sort((a, b) => a[1].order - b[1].order);
  const seen = new Set();
  for (const [message, box] of boxes) {
    const first = !seen.has(keyOf(message));
    seen.add(keyOf(message));
    sheet.append(boxButton(message, box, isSource, first));
  }
  const stops = sheet.querySelectorAll(".msg:not([aria-hidden])");
  if (stops.length) {
    stops[0].tabIndex = 0;
    sheet.setAttribute("role", "group");
    sheet.setAttribute(
      "aria-label",
      t("Page {page}: {count} texts in reading order; the arrow keys move between them", {
        page: page.number,
        count: stops.length,
      }),
    );
  }
  if (!isSource)
    for (const region of data.overflow.filter((r) => r.page === page.number))
      sheet.append(overflowBox(region));
  // <bdi>: an Arabic name would otherwise carry the ", page 1" after it to its left.
  const fig = el(
    "figure",
    {},
    el("figcaption", {}, caption[0], el("bdi", { text: name }), caption.slice(1).join(name)),
    sheet,
  );
  if (!isSource && data.language.code !== view.project.source) fig.append(pageActions(data, page));
  return fig;
}

// The text a message prints on this page: the English on the source page or where it falls back.
function shownText(message, isSource) {
  return isSource || message.fallback ? message.id : (message.string ?? (message.strings || [])[0]);
}
function place(node, box) {
  Object.assign(node.style, {
    left: `${box.x * 100}%`,
    top: `${box.y * 100}%`,
    width: `${box.w * 100}%`,
    height: `${box.h * 100}%`,
  });
}

function boxButton(message, box, isSource, first) {
  const state = message.review.state;
  const text = shownText(message, isSource);
  let label = short(text, 120);
  if (!isSource)
    label += ` — ${message.fallback ? t("prints in English") : stateOf(message).short}`;
  const lang = isSource || message.fallback ? "en" : view.data.language.bcp47;
  const button = el("button", {
    type: "button",
    class: "msg",
    "aria-label": label,
    "data-key": keyOf(message),
    lang,
  });
  // One tab stop per page (rove() moves it), so that small boxes are not a row of tab stops
  // (WCAG 2.5.8); the English and a message's other lines are for the mouse only.
  button.tabIndex = -1;
  if (isSource || !first) button.setAttribute("aria-hidden", "true");
  else button.addEventListener("keydown", (event) => arrowKeys(event, button));
  if (message.fallback && !isSource) button.classList.add("fallback");
  if (state === "approved" && !isSource) button.classList.add("approved");
  if (!isSource) button.classList.add(...problemClasses(message));
  if (!isSource && first) commentMarker(button, message);
  place(button, box);
  button.addEventListener("click", () => {
    hideTip();
    select(message, true, button);
  });
  button.addEventListener("mouseenter", () => {
    hot(message, true);
    showTip(message, button);
  });
  button.addEventListener("mouseleave", () => {
    hot(message, false);
    hideTipSoon();
  });
  button.addEventListener("focus", () => {
    if (!button.hasAttribute("aria-hidden")) rove(button);
    hot(message, true);
    showTip(message, button);
  });
  button.addEventListener("blur", () => {
    hot(message, false);
    hideTip();
  });
  return button;
}

// The page's tab stop is the text last focused on it: Tab leaves the page and comes back there.
function rove(button) {
  const sheet = button.closest(".sheet");
  if (sheet)
    sheet.querySelectorAll(".msg[tabindex='0']").forEach((b) => b !== button && (b.tabIndex = -1));
  button.tabIndex = 0;
  return button;
}

// Arrows move in reading order (left is onward in a right-to-left language), Home and End to
// the page's first and last text.
function arrowKeys(event, button) {
  const stops = [...button.closest(".sheet").querySelectorAll(".msg:not([aria-hidden])")];
  const at = stops.indexOf(button);
  const onward = view.data.language.direction === "rtl" ? "ArrowLeft" : "ArrowRight";
  const back = onward === "ArrowLeft" ? "ArrowRight" : "ArrowLeft";
  const to = {
    ArrowDown: at + 1,
    [onward]: at + 1,
    ArrowUp: at - 1,
    [back]: at - 1,
    Home: 0,
    End: stops.length - 1,
  }[event.key];
  if (to === undefined || event.altKey || event.ctrlKey || event.metaKey) return;
  event.preventDefault();
  const target = stops[Math.max(0, Math.min(stops.length - 1, to))];
  if (target) rove(target).focus();
}

function overflowBox(region) {
  const box = el("div", { class: "overflow" }, el("span", { text: region.text }));
  place(box, region.box);
  return box;
}

function approvable(message) {
  return (
    ["not approved", "changed since it was approved"].includes(message.review.state) &&
    !message.findings.some((f) => f.severity === "error")
  );
}

function pageActions(data, page) {
  if (!canApprove()) return el("div", { class: "page-actions" });
  const todo = data.messages.filter(
    (m) => m.boxes.some((b) => b.page === page.number) && approvable(m),
  );
  const button = el("button", {
    type: "button",
    class: "secondary",
    text: t("Approve every text on page {page} ({count})", {
      page: page.number,
      count: todo.length,
    }),
  });
  button.disabled = todo.length === 0;
  button.addEventListener("click", () => approveKeys(todo, true));
  return el("div", { class: "page-actions" }, button);
}

function drawList(data) {
  // An equivalent of the boxes on the images, with full-size targets (WCAG 2.5.8), showing the
  // texts the filter chose.
  const isSource = view.lang === view.project.source;
  const chosen = new Set(inFilter(data).map(keyOf));
  const groups = data.pages.map((page) => [
    t("Page {page}", { page: page.number }),
    data.messages.filter((m) => m.boxes.length && m.boxes[0].page === page.number),
  ]);
  groups.push([t("Read aloud, not printed"), data.messages.filter((m) => !m.printed)]);
  $("all-count").textContent =
    view.filter === "all"
      ? String(data.messages.length)
      : t("{count} of {total}: {filter}", {
          count: chosen.size,
          total: data.messages.length,
          filter: FILTERS[view.filter].name.toLowerCase(),
        });
  if (view.filter !== "all" && chosen.size) $("all-texts").open = true;
  const shown = groups
    .map(([title, list]) => [title, list.filter((m) => chosen.has(keyOf(m)))])
    .filter(([, list]) => list.length);
  if (!shown.length)
    $("all-list").replaceChildren(
      el("p", { class: "hint", text: t("No text of this leaflet is in this filter.") }),
    );
  else
    $("all-list").replaceChildren(
      ...shown.map(([title, list]) =>
        el(
          "section",
          {},
          el("h3", { class: "small", text: title }),
          el(
            "ul",
            {},
            ...list.map((m) =>
              el(
                "li",
                {},
                el("button", {
                  type: "button",
                  class: "secondary",
                  "data-key": keyOf(m),
                  text: `${short(shownText(m, isSource), 70)}${isSource ? "" : ` — ${m.fallback && !m.fuzzy ? t("prints in English") : stateOf(m).short}${commentWords(m)}`}`,
                  onclick: (event) => select(m, true, event.currentTarget),
                }),
              ),
            ),
          ),
        ),
      ),
    );
}

// ------------------------------------------------------------------ finding the work

// Each message's state in plain words: `short` for lists and labels, `kind` for filters.
function stateOf(m) {
  const r = m.review;
  const hasText = (m.strings || [m.string]).some((t) => t && t.trim());
  if (view.data && view.data.review.error)
    return { kind: "unreadable", short: t("the translation file cannot be read") };
  if (!m.in_catalog) return { kind: "missing", short: t("not in the translation file yet") };
  if (m.fuzzy && hasText) return { kind: "draft", short: t("needs checking") };
  if (r.state === "not translated" && hasText)
    return { kind: "error", short: t("has an error: prints in English") };
  if (r.state === "not translated") return { kind: "untranslated", short: t("not translated yet") };
  if (r.state === "approved") return { kind: "approved", short: t("approved") };
  if (r.state === "changed since it was approved")
    return { kind: "changed", short: t("changed since it was approved") };
  return { kind: "unapproved", short: t("translated, not approved") };
}

function problems(m) {
  return m.findings.filter((f) => f.code !== "fuzzy");
}
function problemClasses(m) {
  const found = problems(m);
  if (found.some((f) => f.severity === "error")) return ["has-error"];
  return found.length ? ["has-warning"] : [];
}

// The filters, by name: [label, test].
const FILTERS = {
  all: { name: t("Every text"), test: () => true },
  untranslated: {
    name: t("Not translated"),
    test: (m) => ["untranslated", "missing"].includes(stateOf(m).kind),
  },
  draft: { name: t("Needs checking"), test: (m) => stateOf(m).kind === "draft" },
  problem: { name: t("Has a problem"), test: (m) => problems(m).length > 0 },
  unapproved: { name: t("Not approved"), test: (m) => stateOf(m).kind !== "approved" },
  changed: { name: t("Changed since approved"), test: (m) => stateOf(m).kind === "changed" },
  comments: { name: t("Has open comments"), test: (m) => (m.open_comments || 0) > 0 },
};

// The leaflet's messages in reading order: page by page, in Tab order; then those not printed.
function readingOrder(data) {
  const where = (m) => (m.boxes.length ? [m.boxes[0].page, m.boxes[0].order] : [Infinity, 0]);
  return data.messages
    .map((m, i) => [where(m), i, m])
    .sort((a, b) => a[0][0] - b[0][0] || a[0][1] - b[0][1] || a[1] - b[1])
    .map(([, , m]) => m);
}
function inFilter(data) {
  if (data.language.code === view.project.source) return data.messages;
  return readingOrder(data).filter(FILTERS[view.filter].test);
}

function step(direction) {
  if (!view.data) return;
  const all = readingOrder(view.data);
  const chosen = inFilter(view.data);
  if (!chosen.length) {
    say(t("No text in “{filter}” on this leaflet.", { filter: FILTERS[view.filter].name }));
    return;
  }
  const at = view.selected ? all.findIndex((m) => keyOf(m) === keyOf(view.selected)) : -1;
  const order = (m) => all.findIndex((x) => keyOf(x) === keyOf(m));
  const next =
    direction > 0
      ? chosen.find((m) => order(m) > at) || chosen[0]
      : [...chosen].reverse().find((m) => at === -1 || order(m) < at) || chosen.at(-1);
  const button = document.querySelector(
    `.msg[data-key="${CSS.escape(keyOf(next))}"]:not([aria-hidden])`,
  );
  select(next, true, button && rove(button));
}

function setUpFinding() {
  for (const [name, filter] of Object.entries(FILTERS))
    $("filter").append(el("option", { value: name, text: filter.name }));
  $("filter").addEventListener("change", () => {
    view.filter = $("filter").value;
    if (view.data) drawList(view.data);
  });
  $("next").addEventListener("click", () => step(1));
  $("previous").addEventListener("click", () => step(-1));
  // The keys the page lists (#keys): Alt+N, Alt+P, Alt+A; Ctrl+Enter in the edit box saves.
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const action = { KeyN: () => step(1), KeyP: () => step(-1), KeyA: approveShown }[event.code];
    if (action) {
      event.preventDefault();
      action();
    }
  });
}

function approveShown() {
  if (!view.selected || $("approve").hidden || $("approve").disabled) {
    if (view.selected) say(t("Not approved: {why}", { why: whyNotApprove(view.selected) }));
    return;
  }
  approveKeys([view.selected], true, current());
}

function showErrors(errors) {
  const unique = [...new Map(errors.map((e) => [e.text, e])).values()];
  $("errors").replaceChildren(...unique.map((e) => el("p", { text: e.text })));
}

function showLanguageState(data) {
  const r = data.review;
  let text = ": ";
  if (r.error) {
    // A catalog that cannot be read has no counts: its error stands where they would.
    $("language-state").replaceChildren(
      el("bdi", { text: data.language.name }),
      t(
        ": the translation file cannot be read, so nothing can be saved or approved until it is corrected. {error}",
        { error: r.error },
      ),
    );
    $("language-state").classList.add("broken");
    return;
  }
  $("language-state").classList.remove("broken");
  const counts = { approved: r.approved, total: r.messages, changed: r.changed };
  if (r.source) text += t("the source language.");
  else if (r.override !== null && r.override !== undefined)
    text += r.override
      ? t("reviewed (set in leaflets.toml), {approved} of {total} translations approved.", {
          ...counts,
          total: r.translated,
        })
      : t("draft (set in leaflets.toml), {approved} of {total} translations approved.", {
          ...counts,
          total: r.translated,
        });
  else if (r.changed)
    text += r.reviewed
      ? t(
          "reviewed: {approved} of {total} translations approved, {changed} changed since approval.",
          counts,
        )
      : t(
          "draft: {approved} of {total} translations approved, {changed} changed since approval.",
          counts,
        );
  else
    text += r.reviewed
      ? t("reviewed: {approved} of {total} translations approved.", counts)
      : t("draft: {approved} of {total} translations approved.", counts);
  if (!r.source) text += ` ${leafletProgress(data)}`;
  if (data.overflow.length)
    text += ` ${tn("{count} panel does not fit.", "{count} panels do not fit.", data.overflow.length)}`;
  if (data.fallbacks.length)
    text += ` ${tn("{count} text prints in English.", "{count} texts print in English.", data.fallbacks.length)}`;
  $("language-state").replaceChildren(el("bdi", { text: data.language.name }), text);
}

// This leaflet's share of the work: approved, to check, untranslated, with problems.
function leafletProgress(data) {
  const kinds = data.messages.map((m) => stateOf(m).kind);
  const count = (kind) => kinds.filter((k) => k === kind).length;
  const warned = data.messages.filter((m) => problemClasses(m)[0] === "has-warning").length;
  const errors = data.messages.filter((m) => problemClasses(m)[0] === "has-error").length;
  const parts = [
    count("draft") && t("{count} to check", { count: count("draft") }),
    count("untranslated") + count("missing") &&
      t("{count} not translated", { count: count("untranslated") + count("missing") }),
    errors && t("{count} with an error", { count: errors }),
    warned && t("{count} with a warning", { count: warned }),
  ].filter(Boolean);
  const counts = { approved: count("approved"), total: data.messages.length };
  return parts.length
    ? t("This leaflet: {approved} of {total} approved, {rest}.", {
        ...counts,
        rest: parts.join(", "),
      })
    : t("This leaflet: {approved} of {total} approved.", counts);
}

// ------------------------------------------------------------------ hovering and selecting

function hot(message, on) {
  document
    .querySelectorAll(`.msg[data-key="${CSS.escape(keyOf(message))}"]`)
    .forEach((b) => b.classList.toggle("hot", on));
}
function mark(message) {
  document.querySelectorAll(".msg.selected").forEach((b) => b.classList.remove("selected"));
  if (message)
    document
      .querySelectorAll(`.msg[data-key="${CSS.escape(keyOf(message))}"]`)
      .forEach((b) => b.classList.add("selected"));
}

let tipTimer = null;
function showTip(message, anchor) {
  clearTimeout(tipTimer);
  const tip = $("tip");
  // Each row: [what it is, its label, its text].
  const rows = [["English", t("English"), message.id]];
  if (message.context) rows.push(["Context", t("Context"), message.context]);
  if (message.notes && message.notes.length)
    rows.push(["Notes", t("Notes"), message.notes.join(" ")]);
  if (view.lang !== view.project.source) {
    rows.push([
      "Translation",
      t("Translation"),
      message.fallback
        ? t("(none: prints in English)")
        : (message.string ?? (message.strings || []).join(" / ")),
    ]);
    rows.push(["Review", t("Review"), reviewText(message)]);
    if (message.open_comments)
      rows.push(["Comments", t("Comments"), t("{count} open", { count: message.open_comments })]);
    for (const f of message.findings) rows.push(["Finding", severityWord(f), f.message]);
  }
  // The translation is in its own language, for screen readers (WCAG 3.1.2).
  const langs = { English: "en", Translation: message.fallback ? "en" : view.data.language.bcp47 };
  const dirs = { Translation: message.fallback ? "ltr" : view.data.language.direction };
  tip.replaceChildren(
    el(
      "dl",
      {},
      ...rows.flatMap(([what, term, d]) => [
        el("dt", { text: term }),
        el("dd", { lang: langs[what] || "en", dir: dirs[what] || "ltr" }, ...unbroken(d)),
      ]),
    ),
  );
  tip.hidden = false;
  const r = anchor.getBoundingClientRect();
  const top =
    r.bottom + 8 + tip.offsetHeight > innerHeight
      ? Math.max(4, r.top - tip.offsetHeight - 8)
      : r.bottom + 8;
  tip.style.left = `${Math.min(Math.max(4, r.left), innerWidth - tip.offsetWidth - 4)}px`;
  tip.style.top = `${top}px`;
  anchor.setAttribute("aria-describedby", "tip");
}
function hideTipSoon() {
  clearTimeout(tipTimer);
  tipTimer = setTimeout(hideTip, 300);
}
function hideTip() {
  clearTimeout(tipTimer);
  $("tip").hidden = true;
}
$("tip").addEventListener("mouseenter", () => clearTimeout(tipTimer));
$("tip").addEventListener("mouseleave", hideTipSoon);

function reviewText(message) {
  const r = message.review;
  const who = { reviewer: r.reviewer, date: r.date };
  if (r.state === "approved") return t("approved by {reviewer} on {date}", who);
  if (r.state === "changed since it was approved")
    return t("changed since {reviewer} approved it on {date}", who);
  // The server's other states, in the interface's words.
  return (
    { "not approved": t("not approved"), "not translated": t("not translated") }[r.state] || r.state
  );
}

function severityWord(finding) {
  return finding.severity === "error" ? t("Error") : t("Warning");
}

// One change of the history, in a sentence: who did what.
function historyWords(c) {
  const before = short((c.before || []).join(" | "), 40);
  const after = short((c.after || []).join(" | "), 40);
  const who = { person: c.person, before, after, reviewer: c.replaced };
  if (c.action === "save") return t("{person} changed “{before}” to “{after}”", who);
  if (c.action === "checked")
    return t("{person} checked the draft “{after}” (its fuzzy mark removed)", who);
  if (c.action === "approve")
    return c.replaced
      ? t("{person} approved (replacing {reviewer}’s approval)", who)
      : t("{person} approved", who);
  return c.replaced
    ? t("{person} withdrew {reviewer}’s approval", who)
    : t("{person} withdrew the approval", who);
}

function select(message, focusEditor, anchor = null) {
  showPageOf(message); // view.js: one page at a time turns to its page
  view.selected = message;
  mark(message);
  showEditor(message, true);
  openSheet(true);
  if (focusEditor) {
    const area = document.querySelector("#m-forms textarea");
    (area || $("editor")).focus();
  }
  if (anchor) keepInView(anchor);
}

// On a phone (view.js's PHONE) the editor is a sheet over the lower part of the screen
// (studio.css), so that the text stays in view above it and its new page shows after a save.
function openSheet(open) {
  $("editor").classList.toggle("open", open);
  document.body.classList.toggle("sheet-open", open);
}
function keepInView(anchor) {
  if (!PHONE.matches) return anchor.scrollIntoView({ block: "nearest" });
  // The sheet opens on the text's state, English and box, past the "Go through" controls.
  const sheet = $("editor"),
    area = document.querySelector("#m-forms textarea");
  const top = $("editor-body").offsetTop - sheet.querySelector(".editor-head").offsetHeight - 8;
  const boxBottom = area ? area.offsetTop + area.offsetHeight - sheet.clientHeight + 8 : top;
  sheet.scrollTop = area ? Math.min(area.offsetTop - 8, Math.max(top, boxBottom)) : top;
  anchor.scrollIntoView({ block: "nearest", inline: "nearest" }); // sideways on a zoomed page
  const r = anchor.getBoundingClientRect();
  const free = innerHeight - $("editor").offsetHeight; // the part above the sheet
  if (r.top < 8 || r.bottom > free - 8) scrollBy(0, r.top - Math.max(8, (free - r.height) / 3));
}

// ------------------------------------------------------------------ the editor

function showEditor(message, reset) {
  $("editor-empty").hidden = Boolean(message);
  $("editor-body").hidden = !message;
  if (!message) return;
  const isSource = view.lang === view.project.source;
  $("m-source").replaceChildren(
    ...unbroken(message.id_plural ? `${message.id}\n(plural) ${message.id_plural}` : message.id),
  );
  $("m-context").textContent = message.context || "";
  $("m-context").hidden = $("m-context-term").hidden = !message.context;
  $("m-notes").textContent = (message.notes || []).join(" ");
  $("m-notes").hidden = $("m-notes-term").hidden = !(message.notes || []).length;
  const pages = [...new Set(message.boxes.map((b) => b.page))].join(", ");
  const where = message.printed ? t("page {pages}", { pages }) : t("read aloud, not printed");
  $("m-where").textContent = message.line
    ? t("{where}; catalog line {line}", { where, line: message.line })
    : where;
  if (reset || !view.baseline) {
    view.baseline = textsOf(message);
    view.refused = null;
    view.conflict = null;
    const forms = view.baseline.map((text, i) => {
      const id = `t${i}`;
      const label =
        view.baseline.length > 1
          ? t("Translation, plural form {number}", { number: i + 1 })
          : t("Translation ({language})", { language: view.data.language.name });
      // In its own direction: in a left-to-right box an Arabic line starting with a placeholder
      // shows "%(keyword)s" split at the far ends.
      const area = el("textarea", {
        id,
        lang: view.data.language.bcp47,
        dir: isSource ? "ltr" : view.data.language.direction,
        spellcheck: "true",
      });
      area.value = shownInBox(text);
      area.readOnly = isSource || !message.in_catalog || !canEdit();
      area.addEventListener("input", () => {
        view.refused = null;
        keepIsolated(area);
        updateButtons();
      });
      area.addEventListener("copy", (event) => {
        const chosen = area.value.slice(area.selectionStart, area.selectionEnd);
        event.clipboardData.setData("text/plain", withoutIsolates(chosen));
        event.preventDefault();
      });
      area.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          save();
        }
        if (event.key === "Escape") {
          event.preventDefault();
          backToPage();
        }
      });
      return el("div", { class: "form" }, el("label", { for: id, text: label }), area);
    });
    $("m-forms").replaceChildren(...forms);
  }
  refreshEditor(message);
  if (reset) showHistory(message);
  if (reset) showComments(message);
}

async function showHistory(message) {
  const query = new URLSearchParams({ id: message.id });
  if (message.context) query.set("context", message.context);
  const answer = await api(`/api/history/${view.lang}?${query}`);
  if (view.selected !== message && keyOf(view.selected) !== keyOf(message)) return;
  const changes = answer.ok ? answer.body.changes : [];
  const items = changes
    .slice()
    .reverse()
    .map((c) => {
      const when = c.at.replace("T", " ").slice(0, 16);
      return el("li", { text: `${when} · ${historyWords(c)}` });
    });
  if (!items.length)
    items.push(el("li", { class: "hint", text: t("No change made in the studio yet.") }));
  $("m-history").replaceChildren(...items);
}

function findingItems(findings) {
  return findings.map((f) =>
    el("li", {
      class: f.severity,
      text: `${severityWord(f)}: ${f.message}`,
    }),
  );
}

function refreshEditor(message) {
  // What a refused save found stays in view until the text is changed again.
  const list = findingItems(view.refused || message.findings);
  if (!list.length)
    list.push(
      el("li", {
        class: "ok",
        text: message.fallback
          ? t("No translation yet: the page prints the English.")
          : t("No problems found."),
      }),
    );
  $("m-findings").replaceChildren(...list);
  const state = message.review.state;
  $("m-review").textContent = reviewText(message);
  $("m-review").className = state === "approved" ? "review-approved" : "";
  showState(message);
  showConflict();
  updateButtons();
}

// The state in plain words at the top of the editor; for a draft whose English changed, the
// English before and now, with the change marked.
function showState(message) {
  const kind = stateOf(message).kind;
  const r = message.review;
  const words = {
    unreadable: t(
      "The translation file cannot be read (its error is at the top), so this text cannot be saved or approved until someone corrects the file.",
    ),
    missing: t(
      "Not in the translation file yet: the English is new. The coordinator adds it (`leaflets update`); then it can be translated here.",
    ),
    untranslated: t(
      "Not translated yet: the page prints the English. Write the translation and save it.",
    ),
    draft: message.previous_id
      ? t(
          "Needs checking because the English changed: compare the translation with the new English below. Correct it and save, or approve it as it is; until then the page prints the English.",
        )
      : t(
          "Needs checking: this translation is a draft (marked fuzzy). Correct it and save, or approve it as it is; until then the page prints the English.",
        ),
    error: t("Has an error (under Checks), so the page prints the English. Correct it and save."),
    unapproved: t("Translated, not approved yet."),
    changed: t("Changed since {reviewer} approved it on {date}: read it again, then approve it.", {
      reviewer: r.reviewer,
      date: r.date,
    }),
    approved: t("Approved by {reviewer} on {date}.", { reviewer: r.reviewer, date: r.date }),
  }[kind];
  $("m-state").textContent = words;
  $("m-state").dataset.kind = kind;
  const changed = kind === "draft" && message.previous_id && message.previous_id !== message.id;
  $("m-english-change").hidden = !changed;
  if (changed) {
    const ops = wordDiff(message.previous_id, message.id);
    $("m-english-before").replaceChildren(...diffNodes(ops, "-"));
    $("m-english-now").replaceChildren(...diffNodes(ops, "+"));
  }
}

// ------------------------------------------------------------------ differences and conflicts

// A word-by-word difference (longest common subsequence of words and spaces): [op, text]
// with op "=" (in both), "-" (only before) or "+" (only after).
function wordDiff(before, after) {
  const a = String(before).split(/(\s+)/),
    b = String(after).split(/(\s+)/);
  const longest = Array.from({ length: a.length + 1 }, () => new Int32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      longest[i][j] =
        a[i] === b[j] ? longest[i + 1][j + 1] + 1 : Math.max(longest[i + 1][j], longest[i][j + 1]);
  const ops = [];
  let i = 0,
    j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push(["=", a[i++], j++]);
    else if (j >= b.length || (i < a.length && longest[i + 1][j] >= longest[i][j + 1]))
      ops.push(["-", a[i++]]);
    else ops.push(["+", b[j++]]);
  }
  return ops.filter(([, text]) => text !== "");
}
// One side of a difference: the words only on this side in <del> (before) or <ins> (after),
// struck through or underlined, not marked by colour alone.
function diffNodes(ops, side) {
  return ops
    .filter(([op]) => op === "=" || op === side)
    .map(([op, text]) => (op === "=" ? text : el(side === "-" ? "del" : "ins", { text })));
}

function textsOf(message) {
  return message.strings ? [...message.strings] : [message.string ?? ""];
}
function same(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// The text under the editor changed (another reviewer, another program): unless the box
// already holds it, the editor shows it beside the reviewer's, until they choose.
function noticeChange(message) {
  const theirs = textsOf(message);
  if (!message.in_catalog || same(theirs, view.baseline)) return;
  if (same(theirs, current())) {
    view.baseline = theirs;
    view.conflict = null;
    return;
  }
  if (view.conflict && same(theirs, view.conflict)) return; // said already
  view.conflict = theirs;
  say(t("The text you have open was changed elsewhere: compare the two versions in the editor."));
}

function showConflict() {
  const theirs = view.conflict;
  $("m-conflict").hidden = !theirs;
  if (!theirs) return;
  const mine = current();
  const ops = wordDiff(mine.join("\n"), theirs.join("\n"));
  const dir = view.data.language.direction;
  for (const [id, side] of [
    ["m-mine", "-"],
    ["m-theirs", "+"],
  ]) {
    $(id).setAttribute("dir", dir);
    $(id).setAttribute("lang", view.data.language.bcp47);
    $(id).replaceChildren(...diffNodes(ops, side));
  }
}

function keepMine() {
  // Saving now replaces their text with the reviewer's: the save says it started from theirs.
  view.baseline = view.conflict;
  view.conflict = null;
  say(t("Kept your text: save it to replace the other version."));
  refreshEditor(view.selected);
}
function takeTheirs() {
  const areas = [...document.querySelectorAll("#m-forms textarea")];
  view.conflict.forEach((text, i) => areas[i] && (areas[i].value = shownInBox(text)));
  view.baseline = view.conflict;
  view.conflict = null;
  say(t("The box now holds the other version."));
  refreshEditor(view.selected);
}

// ------------------------------------------------------------------ right-to-left placeholders

// In a right-to-left box each placeholder is shown isolated (U+2066 … U+2069), so that
// %(number)s reads in its own order; the isolates are for display only and never saved (a
// translation may not hold them: untrusted.py refuses them).
const ISOLATES = /[\u2066-\u2069]/g;
function withoutIsolates(text) {
  return String(text).replace(ISOLATES, "");
}
function shownInBox(text) {
  if (!view.data || view.data.language.direction !== "rtl") return text;
  return String(text)
    .split(PLACEHOLDER)
    .map((part, i) => (i % 2 ? `\u2066${part}\u2069` : part))
    .join("");
}
function keepIsolated(area) {
  if (area.dir !== "rtl") return;
  const shown = shownInBox(withoutIsolates(area.value));
  if (shown === area.value) return;
  const caret = withoutIsolates(area.value.slice(0, area.selectionStart)).length;
  area.value = shown;
  let at = 0;
  for (let seen = 0; at < shown.length && seen < caret; at++)
    if (!/[\u2066-\u2069]/.test(shown[at])) seen++;
  area.setSelectionRange(at, at);
}

function current() {
  return [...document.querySelectorAll("#m-forms textarea")].map((a) => withoutIsolates(a.value));
}
function edited() {
  return JSON.stringify(current()) !== JSON.stringify(view.baseline);
}

function updateButtons() {
  const message = view.selected;
  if (!message) return;
  const isSource = view.lang === view.project.source;
  const dirty = edited();
  // During a conflict the reviewer first keeps theirs or takes the other version.
  $("save").disabled = isSource || !message.in_catalog || !dirty || Boolean(view.conflict);
  $("save").hidden = $("undo").hidden = !canEdit();
  $("undo").disabled = !dirty;
  $("approve").hidden = !canApprove();
  const why = whyNotApprove(message);
  $("approve").disabled = isSource || why !== null;
  $("approve").textContent = dirty
    ? t("Save before approving")
    : message.review.state === "approved"
      ? t("Approved")
      : stateOf(message).kind === "draft"
        ? t("Approve as it is")
        : t("Approve this translation");
  $("m-why").textContent = isSource ? "" : whyNotSave(message) || "";
  $("withdraw").hidden = message.review.state !== "approved" || !canWithdraw(message);
  $("withdraw").textContent =
    message.review.reviewer === SESSION.name
      ? t("Withdraw my approval")
      : t("Withdraw {reviewer}’s approval", { reviewer: message.review.reviewer });
}

// Why Approve is not offered now, in plain words; null when it is.
function whyNotApprove(message) {
  const kind = stateOf(message).kind;
  if (!canApprove())
    return t("your role ({role}) does not approve {language}", {
      role: roleName(SESSION.role),
      language: view.data.language.name,
    });
  if (view.conflict) return t("the text changed elsewhere: keep yours or take theirs first");
  if (edited()) return t("save your change first");
  if (kind === "approved") return t("it is approved already");
  if (["missing", "untranslated", "unreadable"].includes(kind))
    return t("there is no translation to approve yet");
  if (message.findings.some((f) => f.severity === "error"))
    return t("it has an error (under Checks): correct it and save first");
  return null;
}
// Why Save cannot happen, when that is not just "nothing changed yet".
function whyNotSave(message) {
  if (!canEdit())
    return t("Your role ({role}) does not edit {language}.", {
      role: roleName(SESSION.role),
      language: view.data.language.name,
    });
  if (view.data.review.error)
    return t(
      "Saving is not possible: the translation file cannot be read (the error is at the top).",
    );
  if (!message.in_catalog)
    return t("Saving is not possible: this text is not in the translation file yet.");
  return null;
}

function backToPage() {
  openSheet(false);
  if (!view.selected) return;
  const button = document.querySelector(
    `.msg[data-key="${CSS.escape(keyOf(view.selected))}"]:not([aria-hidden])`,
  );
  if (button) rove(button).focus();
}

async function save() {
  const message = view.selected;
  if (!message) return;
  if ($("save").disabled) {
    const conflict =
      view.conflict && t("Not saved yet: keep yours or take the other version first.");
    say(whyNotSave(message) || conflict || t("Nothing to save: the text is as it was."));
    return;
  }
  const strings = current();
  const body = { context: message.context, id: message.id };
  if (message.strings) {
    body.strings = strings;
    body.previous_strings = view.baseline;
  } else {
    body.string = strings[0];
    body.previous = view.baseline[0];
  }
  say(t("Saving…"), true);
  view.expecting = "save";
  const answer = await api(`/api/translations/${view.lang}`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  if (answer.ok) {
    view.baseline = strings;
    view.refused = null;
    view.selected = {
      ...message,
      ...answer.body.message,
      boxes: message.boxes,
      printed: message.printed,
      fallback: false,
    };
    refreshEditor(view.selected);
    const warnings = answer.body.findings.length;
    if (!answer.body.changed) view.expecting = null;
    say(
      answer.body.changed
        ? warnings
          ? tn(
              "Saved with {count} warning. Updating the page…",
              "Saved with {count} warnings. Updating the page…",
              warnings,
            )
          : t("Saved. Updating the page…")
        : t("No change to save."),
      answer.body.changed,
    );
    return;
  }
  view.expecting = null;
  if (answer.status === 422 && answer.body.findings) {
    view.refused = answer.body.findings;
    $("m-findings").replaceChildren(...findingItems(view.refused));
    say(t("Not saved: fix the error shown under Checks."));
  } else if (answer.status === 409 && answer.body.current) {
    view.conflict = answer.body.current;
    say(
      t(
        "Not saved: the text was changed elsewhere meanwhile. Compare the two versions in the editor, keep yours or take theirs.",
      ),
    );
    refreshEditor(view.selected);
  } else {
    say(t("Not saved: {error}", { error: answer.body.error || answer.status }));
  }
}

// Approve (or withdraw) what the reviewer sees: `shown`, the editor's text, for one message;
// the server refuses it if the catalog holds other text by then.
async function approveKeys(messages, approve, shown = null) {
  const refs = messages.map((m) => {
    const texts = shown || textsOf(m);
    return m.strings
      ? { context: m.context, id: m.id, strings: texts }
      : { context: m.context, id: m.id, string: texts[0] };
  });
  if (!view.expecting) view.expecting = "approve";
  const answer = await api(`/api/reviews/${view.lang}`, {
    method: "POST",
    body: JSON.stringify({ messages: refs, approve }),
  });
  if (!answer.ok) view.expecting = null;
  if (answer.ok) {
    const n = refs.length;
    const checked = answer.body.checked ? ` ${t("Its draft mark is removed.")}` : "";
    say(
      approve
        ? `${tn("Approved {count} translation.", "Approved {count} translations.", n)}${checked}`
        : t("Approval withdrawn."),
    );
    await load();
    if (view.selected) showHistory(view.selected);
  } else {
    const problems = answer.body.errors
      ? answer.body.errors.map((e) => `${short(e.id, 40)}: ${e.error}`).join("; ")
      : answer.body.error;
    say(t("Not approved: {why}", { why: problems }));
  }
}

// ------------------------------------------------------------------ live updates

// The new page images at once, before the JSON with their boxes: the server finds the boxes
// after the images, so an edit shows on the page first. The boxes stay busy until then.
async function showNewImages(lang, version) {
  const images = [...document.querySelectorAll(`.sheet[data-lang="${lang}"] > img`)];
  const swaps = images.map(async (img) => {
    const url = new URL(img.src, location.href);
    url.searchParams.set("v", String(version));
    const next = new Image();
    next.src = url.pathname + url.search;
    try {
      await next.decode();
    } catch {
      return;
    }
    img.src = next.src;
  });
  await Promise.all(swaps);
}

function listen() {
  const events = new EventSource("/api/events");
  // Revoked or signed out elsewhere: the stream says so and ends.
  events.addEventListener("signed-out", () => location.reload());
  events.addEventListener("comments", (e) => commentEvent(JSON.parse(e.data)));
  let pending = null;
  const soon = () => {
    clearTimeout(pending);
    pending = setTimeout(load, 40);
  };
  const ours = (d) =>
    d.leaflet === view.leaflet && (d.lang === view.lang || d.lang === view.project.source);
  events.addEventListener("rendering", (e) => {
    const d = JSON.parse(e.data);
    if (ours(d))
      document
        .querySelectorAll(`.sheet[data-lang="${d.lang}"]`)
        .forEach((s) => s.setAttribute("aria-busy", "true"));
  });
  events.addEventListener("rendered", (e) => {
    const d = JSON.parse(e.data);
    if (!ours(d)) return;
    if (!d.error) showNewImages(d.lang, d.version);
    soon();
    if (d.lang === view.lang && view.expecting) {
      say(
        d.error
          ? t("The page could not be updated: see the error at the top.")
          : view.expecting !== "elsewhere"
            ? t("Page updated.")
            : t("Page updated: a file was saved in another program."),
      );
      view.expecting = null;
    }
  });
  events.addEventListener("changed", (e) => {
    const d = JSON.parse(e.data);
    if (!d.paths.some((p) => p.startsWith(`locales/${view.lang}/`) || !p.startsWith("locales/")))
      return;
    if (!view.expecting) view.expecting = "elsewhere";
    soon();
  });
}

start();
