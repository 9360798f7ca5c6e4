// How the pages are shown (issue 21, point 5): where the English sits, all pages or one at a
// time, and zoom. Loaded before studio.js, whose draw() asks pageRows() for the pages and then
// showPages(); each choice is remembered in this browser.
"use strict";

// On a phone the editor is a sheet (studio.css) and one page at a time is the default.
const PHONE = matchMedia("(max-width: 40rem)");
const ZOOMS = [1, 1.5, 2, 3];
const ENGLISH_AT = ["auto", "above", "below", "beside", "hidden"];
const pageView = { page: 0, zoom: 1, shown: null };

function remembered(name, allowed, fallback) {
  const value = localStorage.getItem(name);
  return allowed.includes(value) ? value : fallback;
}

function setUpView() {
  // "Show the English with it" unticked, before this choice existed, is "hidden".
  const old = localStorage.getItem("leaflets-show-source") === "no" ? "hidden" : "auto";
  $("english-at").value = remembered("leaflets-english-at", ENGLISH_AT, old);
  const one = remembered("leaflets-page-view", ["all", "one"], PHONE.matches ? "one" : "all");
  $("one-page").checked = one === "one";
  pageView.zoom = Number(remembered("leaflets-zoom", ZOOMS.map(String), "1"));
  $("english-at").addEventListener("change", () => {
    localStorage.setItem("leaflets-english-at", $("english-at").value);
    draw();
  });
  $("one-page").addEventListener("change", () => {
    localStorage.setItem("leaflets-page-view", $("one-page").checked ? "one" : "all");
    showPages();
  });
  const steps = {
    "page-previous": () => turn(-1),
    "page-next": () => turn(1),
    "zoom-out": () => zoomBy(-1),
    "zoom-in": () => zoomBy(1),
    "zoom-fit": () => zoomTo(1),
  };
  for (const [id, action] of Object.entries(steps))
    $(id).addEventListener(
      "click",
      () => $(id).getAttribute("aria-disabled") !== "true" && action(),
    );
  // The keys #keys lists; Alt and a key, as Alt+N and Alt+P already are.
  const keys = { PageUp: "page-previous", PageDown: "page-next", Minus: "zoom-out" };
  Object.assign(keys, { NumpadSubtract: "zoom-out", Equal: "zoom-in", NumpadAdd: "zoom-in" });
  Object.assign(keys, { Digit0: "zoom-fit", Numpad0: "zoom-fit" });
  document.addEventListener("keydown", (event) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || !keys[event.code]) return;
    event.preventDefault();
    steps[keys[event.code]]();
  });
}

// A row per page: the translation with its English above, below or beside it, or alone. A wide
// page (the tri-fold) beside its English would be half the width, its type too small to read:
// "auto" puts the English above it instead.
function pageRows(data) {
  const at = $("english-at").value;
  const shown = `${data.language.code}/${data.leaflet.name}`;
  if (pageView.shown !== shown) pageView.page = 0;
  pageView.shown = shown;
  return data.pages.map((page, index) => {
    const original = view.source && at !== "hidden" ? view.source.pages[index] : null;
    const english = original ? figure(view.source, original, true) : null;
    const mine = figure(data, page, false);
    const beside = at === "beside" || (at === "auto" && page.width_in <= page.height_in);
    const row = el("div", { class: `page-row ${english && beside ? "beside" : "stacked"}` });
    if (at === "auto") row.classList.add("fluid"); // a phone puts them one above the other
    row.append(...(english ? (at === "below" ? [mine, english] : [english, mine]) : [mine]));
    return row;
  });
}

// One page at a time hides the other rows (and so their boxes leave the Tab order).
function showPages() {
  const rows = [...document.querySelectorAll("#pages > .page-row")];
  const one = $("one-page").checked && rows.length > 1;
  pageView.page = Math.max(0, Math.min(rows.length - 1, pageView.page));
  rows.forEach((row, index) => (row.hidden = one && index !== pageView.page));
  $("page-steps").hidden = !one;
  $("page-at").textContent = t("Page {page} of {pages}", {
    page: pageView.page + 1,
    pages: rows.length,
  });
  unavailable("page-previous", pageView.page === 0);
  unavailable("page-next", pageView.page >= rows.length - 1);
  applyZoom();
}

// aria-disabled, not disabled: a button that stops working keeps the focus that pressed it.
function unavailable(id, yes) {
  $(id).setAttribute("aria-disabled", String(yes));
}

function turn(by) {
  pageView.page += by;
  showPages();
  $("page-at").scrollIntoView({ block: "nearest" });
}

// The page a text prints on first comes into view when it is chosen (Next, the list).
function showPageOf(message) {
  if (!message || !message.boxes.length || !$("one-page").checked) return;
  const index = message.boxes[0].page - 1;
  if (index !== pageView.page) {
    pageView.page = index;
    showPages();
  }
}

// ------------------------------------------------------------------ zoom

function zoomBy(steps) {
  const at = ZOOMS.indexOf(pageView.zoom);
  zoomTo(ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, at + steps))]);
}

// The point at the middle of the screen stays where it is, as with a pinch.
function zoomTo(level) {
  const pages = $("pages");
  const before = pages.getBoundingClientRect();
  const fx = (innerWidth / 2 - before.left + pages.scrollLeft) / pages.scrollWidth;
  const fy = (innerHeight / 2 - before.top) / before.height;
  pageView.zoom = level;
  localStorage.setItem("leaflets-zoom", String(level));
  applyZoom();
  const after = pages.getBoundingClientRect();
  pages.scrollLeft = fx * pages.scrollWidth - (innerWidth / 2 - after.left);
  if (fy > 0 && fy < 1) scrollBy(0, after.top + fy * after.height - innerHeight / 2);
}

// The rows grow past the column, which scrolls sideways; the boxes are placed in fractions of
// their page, so they grow with it.
function applyZoom() {
  const zoom = pageView.zoom;
  $("pages").classList.toggle("zoomed", zoom > 1);
  for (const row of document.querySelectorAll("#pages > .page-row"))
    row.style.width = zoom > 1 ? `${zoom * 100}%` : "";
  $("zoom-at").textContent = `${Math.round(zoom * 100)}%`;
  unavailable("zoom-out", zoom === ZOOMS[0]);
  unavailable("zoom-in", zoom === ZOOMS.at(-1));
  unavailable("zoom-fit", zoom === 1);
  sharpen();
}

// The image scale (1 to 3, page_png's) that draws the page at this zoom without blurring it;
// before the image is laid out, the column's width stands for its own.
function scaleFor(widthPx, drawn = $("pages").clientWidth * pageView.zoom) {
  return Math.max(1, Math.min(3, Math.ceil((drawn * devicePixelRatio) / widthPx - 0.1)));
}

function sized(page, scale = scaleFor(page.width_px)) {
  const url = new URL(page.url, location.href);
  if (scale > 1) url.searchParams.set("scale", String(scale));
  else url.searchParams.delete("scale");
  return url.pathname + url.search;
}

// A larger image for the pages in view, loaded before it replaces the smaller one.
async function sharpen() {
  const images = document.querySelectorAll("#pages > .page-row:not([hidden]) .sheet > img");
  const swaps = [...images].map(async (img) => {
    const now = new URL(img.src, location.href);
    const scale = scaleFor(Number(img.dataset.widthPx), img.getBoundingClientRect().width);
    if (scale <= Number(now.searchParams.get("scale") || 1)) return;
    const next = new Image();
    next.src = sized({ url: now.pathname + now.search }, scale);
    try {
      await next.decode();
    } catch {
      return;
    }
    if (img.isConnected && img.src === now.href) img.src = next.src;
  });
  await Promise.all(swaps);
}
