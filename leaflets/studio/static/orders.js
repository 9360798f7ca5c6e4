// The order form (/orders/new) and the Orders page (/orders), for event organisers. The form
// sends the order file's fields to /api/orders; the server checks them with the command line's
// own checks and words, and each problem is shown beside its field. No framework: plain DOM.
"use strict";

let CHOICES = null;

function say(text) {
  $("status").textContent = text;
}

async function start() {
  SESSION = (await api("/api/session")).body;
  $("who-name").textContent = SESSION.name;
  $("who-role").textContent = roleName(SESSION.role);
  CHOICES = (await api("/api/order-form")).body;
  if (document.body.dataset.page === "form") startForm();
  else startList();
}

// ------------------------------------------------------------------ the form

// While typing, a problem shows once its field was changed; after a send, every problem shows.
const touched = new Set();
let checking = null;
let sent = false;

function startForm() {
  if (!CHOICES.may_order) {
    $("summary").textContent = t("As {role}, you cannot order leaflets; ask a coordinator.", {
      role: roleName(SESSION.role),
    });
    $("send").disabled = true;
  }
  fillSelect($("f-deliver_to"), CHOICES.offices, (o) => [o.id, o.name]);
  fillSelect($("f-paper"), CHOICES.papers, (p) => [p.size, p.name]);
  CHOICES.editions.forEach((edition, i) => {
    const id = `f-edition-${edition.name}`;
    const input = el("input", { type: "radio", name: "edition", id, value: edition.name });
    input.checked = i === 0;
    $("editions").append(
      el("div", { class: "field check" }, input, el("label", { for: id, text: edition.explained })),
    );
  });
  $("anyway").hidden = !CHOICES.may_print_anyway;
  addItem();
  $("add-item").addEventListener("click", () => {
    addItem();
    $("items").lastElementChild.querySelector("select").focus();
  });
  const form = $("order");
  form.addEventListener("input", (e) => changed(e.target));
  form.addEventListener("change", (e) => changed(e.target));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    send();
  });
}

function fillSelect(select, entries, pair) {
  select.replaceChildren(
    ...entries.map((entry) => {
      const [value, text] = pair(entry);
      return el("option", { value, text });
    }),
  );
}

function addItem() {
  const row = $("item-template").content.firstElementChild.cloneNode(true);
  const leaflet = row.querySelector('[data-key="leaflet"]');
  const language = row.querySelector('[data-key="language"]');
  fillSelect(leaflet, CHOICES.leaflets, (l) => [l.name, l.title]);
  fillSelect(language, CHOICES.languages, (l) => [
    l.code,
    l.reviewed ? l.name : t("{language} (draft translation)", { language: l.name }),
  ]);
  row.querySelector(".remove").addEventListener("click", () => {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    numberItems();
    (next ? next.querySelector("select") : $("add-item")).focus();
    check();
  });
  $("items").append(row);
  numberItems();
}

// Each item's fields are named as the server names them, items[0].quantity, so that an
// error finds its field; labels say which line they belong to.
function numberItems() {
  [...$("items").children].forEach((row, i) => {
    row.dataset.field = `items[${i}]`;
    for (const part of row.querySelectorAll("[data-part]")) {
      const key = part.dataset.part;
      const id = `f-items[${i}].${key}`;
      const control = part.querySelector("select, input");
      const error = part.querySelector(".field-error");
      part.dataset.field = `items[${i}].${key}`;
      control.id = id;
      error.id = `e-items[${i}].${key}`;
      control.setAttribute("aria-describedby", error.id);
      part.querySelector("label").setAttribute("for", id);
      part.querySelector("label").replaceChildren(
        { leaflet: t("Leaflet"), language: t("Language"), quantity: t("Copies") }[key],
        el("span", {
          class: "visually-hidden",
          text: ` ${t("(line {number})", { number: i + 1 })}`,
        }),
      );
    }
    row.querySelector(".item-error").id = `e-items[${i}]`;
    row
      .querySelector(".remove")
      .setAttribute("aria-label", t("Remove line {number}", { number: i + 1 }));
    row.querySelector(".remove").hidden = $("items").children.length === 1;
    thumbnail(row);
  });
}

function thumbnail(row) {
  const leaflet = row.querySelector('[data-key="leaflet"]');
  const language = row.querySelector('[data-key="language"]');
  const img = row.querySelector(".thumb");
  const src = `/pages/${encodeURIComponent(language.value)}/${encodeURIComponent(leaflet.value)}/1.png`;
  if (img.getAttribute("src") !== src) img.src = src;
  const title = leaflet.selectedOptions[0]?.textContent || "";
  const lang = language.selectedOptions[0]?.textContent || "";
  img.alt = t("First page of the {leaflet} in {language}", { leaflet: title, language: lang });
}

function changed(target) {
  const field = target.closest("[data-field]");
  if (field) touched.add(field.dataset.field);
  if (target.dataset.key === "leaflet" || target.dataset.key === "language")
    thumbnail(target.closest(".item"));
  clearTimeout(checking);
  checking = setTimeout(check, 350);
}

// The form's fields as the order file has them. An empty field is null (left out, as in a
// file); a quantity is sent as typed unless it is a number, so the server words the problem.
function fields() {
  const value = (id) => {
    const text = $(id).value.trim();
    return text === "" ? null : text;
  };
  const items = [...$("items").children].map((row) => {
    const quantity = row.querySelector('[data-key="quantity"]').value.trim();
    const number = Number(quantity);
    return {
      leaflet: row.querySelector('[data-key="leaflet"]').value,
      language: row.querySelector('[data-key="language"]').value,
      quantity: quantity === "" ? null : Number.isFinite(number) ? number : quantity,
    };
  });
  const edition = document.querySelector('input[name="edition"]:checked');
  const body = {
    name: value("f-name"),
    event: value("f-event"),
    event_date: value("f-event_date"),
    need_by: value("f-need_by"),
    deliver_to: value("f-deliver_to"),
    edition: edition ? edition.value : null,
    paper: value("f-paper"),
    stock: value("f-stock"),
    notes: value("f-notes"),
    requested_by: {
      name: value("f-requested_by.name"),
      phone: value("f-requested_by.phone"),
      email: value("f-requested_by.email"),
    },
    items,
  };
  if (!$("anyway").hidden && $("f-allow_unreviewed").checked) body.allow_unreviewed = true;
  return body;
}

async function check() {
  if (!CHOICES.may_order) return;
  const answer = await api("/api/order-form/preview", {
    method: "POST",
    body: JSON.stringify(fields()),
  });
  if (!answer.ok) return;
  showErrors(answer.body.errors, (f) => sent || touched.has(f) || touched.has(owner(f)));
  showPreview(answer.body.preview);
}

function owner(field) {
  return field.replace(/\.[a-z_]+$/, "");
}

// Each problem beside its field (the closest one the form has), with aria-invalid; those with
// no field of their own go in the summary at the top.
function showErrors(errors, shown = () => true) {
  for (const p of document.querySelectorAll(".field-error")) p.textContent = "";
  for (const c of document.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
  const loose = [];
  for (const problem of errors.filter((p) => shown(p.field))) {
    const target = errorSlot(problem.field);
    if (!target) {
      loose.push(problem.message);
      continue;
    }
    target.textContent = target.textContent
      ? `${target.textContent} ${problem.detail}`
      : problem.detail;
    const control = $(`f-${problem.field}`);
    if (control) control.setAttribute("aria-invalid", "true");
  }
  $("summary").replaceChildren(...loose.map((text) => el("p", { text })));
  return loose.length;
}

function errorSlot(field) {
  for (let name = field; name; name = name.includes(".") ? owner(name) : "") {
    const slot = $(`e-${name}`);
    if (slot) return slot;
    const item = name.match(/^items\[\d+\]/);
    if (item && $(`e-${item[0]}`)) return $(`e-${item[0]}`);
  }
  return null;
}

function showPreview(preview) {
  const box = $("preview");
  if (!preview) {
    box.replaceChildren(
      el("p", { class: "hint", text: t("Complete the form to see the sheets.") }),
    );
    return;
  }
  const rows = preview.items.map((item) =>
    el(
      "tr",
      {},
      el("td", { text: `${item.title} (${item.language_name})` }),
      el("td", { text: item.quantity.toLocaleString() }),
      el("td", { text: `${item.per_sheet}` }),
      el("td", {
        text: (item.pages_at_most ? t("up to {sheets}") : "{sheets}").replace(
          "{sheets}",
          item.sheets.toLocaleString(),
        ),
      }),
      el("td", { text: item.overage.toLocaleString() }),
    ),
  );
  const head = [t("Leaflet"), t("Copies"), t("Per sheet"), t("Sheets"), t("Extra")];
  const table = el(
    "table",
    { class: "sheets" },
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col", text: h })))),
    el("tbody", {}, ...rows),
  );
  const parts = [
    el("p", {
      text: t("{count} sheets to print in all.", { count: preview.total_sheets.toLocaleString() }),
    }),
    el("div", { class: "table-wrap" }, table),
  ];
  const drafts = preview.unreviewed_languages.map((l) => l.name);
  if (drafts.length)
    parts.push(
      el("p", {
        class: "draft",
        text: t(
          "Draft translation: {languages}. A coordinator must choose to print it anyway; the job ticket will say so.",
          { languages: drafts.join(", ") },
        ),
      }),
    );
  for (const warning of preview.warnings) parts.push(el("p", { class: "hint", text: warning }));
  box.replaceChildren(...parts);
}

async function send() {
  sent = true;
  clearTimeout(checking); // its answer would come after this one's
  say(t("Sending the order…"));
  const answer = await api("/api/orders", { method: "POST", body: JSON.stringify(fields()) });
  if (answer.status === 201) {
    say(t("Order sent: {file}.", { file: answer.body.file }));
    location.assign(`/orders#order-${answer.body.name}`);
    return;
  }
  const errors = answer.body.errors || [{ field: "", message: answer.body.error, detail: "" }];
  const loose = showErrors(errors);
  say(t("The order was not sent: {count} to correct.", { count: errors.length }));
  const first = errors.map((p) => $(`f-${p.field}`)).find(Boolean);
  if (first && !loose) first.focus();
  else $("summary").focus();
}

// ------------------------------------------------------------------ the Orders page

const STATES = {
  submitted: t("Submitted: waiting for a build"),
  queued: t("Queued: waits for another build"),
  building: t("Building"),
  ready: t("Ready to download"),
  failed: t("The build failed"),
  invalid: t("The order file has a problem"),
};

async function startList() {
  await showOrders();
  const events = new EventSource("/api/events");
  events.addEventListener("signed-out", () => location.reload());
  events.addEventListener("order", (e) => {
    const d = JSON.parse(e.data);
    const log = document.getElementById(`progress-${d.name}`);
    if (log && d.message) log.append(el("li", { text: d.message }));
    const state = document.getElementById(`state-${d.name}`);
    if (state) state.textContent = STATES[d.state] || d.state;
    if (["ready", "failed", "submitted"].includes(d.state)) {
      say(`${d.name}: ${STATES[d.state]}.`);
      showOrders();
    }
  });
}

let announced = false;

async function showOrders() {
  const list = (await api("/api/orders")).body.orders;
  const details = await Promise.all(list.map((o) => api(`/api/orders/${o.name}`)));
  const box = $("orders");
  box.replaceChildren(
    ...(list.length
      ? details.map((d) => orderCard(d.body))
      : [
          el(
            "p",
            { text: `${t("No orders yet.")} `, class: "hint" },
            el("a", { href: "/orders/new", text: t("Order leaflets") }),
          ),
        ]),
  );
  box.setAttribute("aria-busy", "false");
  // Just sent from the form: say so, and take the keyboard to it.
  const wanted = location.hash && document.getElementById(location.hash.slice(1));
  if (wanted && !announced) {
    announced = true;
    wanted.tabIndex = -1;
    wanted.focus();
    say(t("{order}: the order is in.", { order: wanted.querySelector("h2").textContent }));
  }
}

function orderCard(order) {
  const facts = el(
    "dl",
    { class: "facts" },
    el("dt", { text: t("State") }),
    el("dd", { id: `state-${order.name}`, text: STATES[order.state] || order.state }),
    el("dt", { text: t("Asked by") }),
    el("dd", { text: order.requested_by || "—" }),
    el("dt", { text: t("Last changed") }),
    el("dd", { text: new Date(order.modified).toLocaleString() }),
    el("dt", { text: t("File") }),
    el("dd", {}, el("code", { text: order.file })),
  );
  if (order.total_sheets !== undefined)
    facts.append(
      el("dt", { text: t("Sheets to print") }),
      el("dd", { text: order.total_sheets.toLocaleString() }),
    );
  const card = el(
    "section",
    { class: "order", id: `order-${order.name}`, "aria-labelledby": `title-${order.name}` },
    el("h2", { id: `title-${order.name}`, text: order.title }),
    facts,
  );
  if (order.why) card.append(el("p", { class: "why", text: order.why }));
  for (const l of order.unreviewed_languages || [])
    card.append(
      el("p", {
        class: "draft",
        text: t("{language} is a draft translation.", { language: l.name }),
      }),
    );
  card.append(buildControls(order), el("ul", { class: "log", id: `progress-${order.name}` }));
  for (const line of order.progress || []) card.lastChild.append(el("li", { text: line }));
  if (order.files && order.files.length) card.append(downloads(order));
  return card;
}

function buildControls(order) {
  const box = el("div", { class: "buttons" });
  if (!CHOICES.may_build || order.state === "invalid") return box;
  const drafts = (order.unreviewed_languages || []).length > 0;
  const anyway = el("input", { type: "checkbox", id: `anyway-${order.name}` });
  const label = el("label", { for: anyway.id, text: t("Print draft translations anyway") });
  const button = el("button", {
    type: "button",
    text: order.state === "ready" ? t("Build again") : t("Build the package"),
  });
  button.disabled = ["building", "queued"].includes(order.state);
  button.addEventListener("click", async () => {
    button.disabled = true;
    const body = JSON.stringify(drafts ? { allow_unreviewed: anyway.checked } : {});
    const answer = await api(`/api/orders/${order.name}/build`, { method: "POST", body });
    say(answer.ok ? `${order.title}: ${answer.body.message}.` : answer.body.error);
    if (!answer.ok) button.disabled = false;
  });
  if (drafts && SESSION.role === "coordinator")
    box.append(el("div", { class: "field check" }, anyway, label));
  box.append(button);
  return box;
}

function rank(file) {
  if (file.path.endsWith(".zip")) return 0;
  if (file.path === "ticket.pdf") return 1;
  if (file.path.startsWith("proofs/")) return 2;
  return file.path.endsWith(".pdf") ? 3 : 4;
}

function downloads(order) {
  const link = (f) =>
    el(
      "li",
      {},
      el("a", { href: f.url, text: f.path }),
      ` (${Math.max(1, Math.round(f.bytes / 1024)).toLocaleString()} KB)`,
    );
  return el(
    "div",
    { class: "downloads" },
    el("h3", { class: "small", text: t("Download") }),
    // The zip (the whole package) first, then the ticket and the proofs, as a printer reads.
    el("ul", {}, ...[...order.files].sort((a, b) => rank(a) - rank(b)).map(link)),
  );
}

start();
