// What the studio's pages share (the editor, the order form and the Orders page): the signed-in
// session, a DOM builder and the API call. Loaded before each page's own script.
"use strict";

// Who is signed in ({name, role, languages, csrf}): every write sends the csrf back.
let SESSION = null;
const $ = (id) => document.getElementById(id);

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === "class") node.className = value;
    else if (name === "text") node.textContent = value;
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children) if (child !== null) node.append(child);
  return node;
}

async function api(path, options = {}) {
  const headers = {
    ...(SESSION ? { "X-Leaflets-Token": SESSION.csrf } : {}),
    ...(options.body ? { "Content-Type": "application/json" } : {}),
  };
  const response = await fetch(path, { ...options, headers, credentials: "same-origin" });
  // Signed out, revoked or expired: the address now shows the sign-in page.
  if (response.status === 401) location.reload();
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = { error: response.statusText };
  }
  return { status: response.status, ok: response.ok, body };
}

// The interface's words in the person's language (interface.py): the page carries its scripts'
// translated messages; a message not translated there stays in English.
const INTERFACE = JSON.parse($("studio-messages")?.textContent || '{"lang": "en", "messages": {}}');

// A message, with its {name} placeholders filled from `values`.
function t(message, values = {}) {
  return fill(INTERFACE.messages[message] || message, values);
}

// A message with a singular and a plural, chosen by `count` (also a placeholder). One form for
// one and the last for the rest: right for English, Spanish and Creole below a million.
function tn(singular, plural, count, values = {}) {
  const forms = INTERFACE.messages[singular];
  const english = count === 1 ? singular : plural;
  const text = Array.isArray(forms) ? forms[count === 1 ? 0 : forms.length - 1] : english;
  return fill(text, { count, ...values });
}

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    name in values ? String(values[name]) : whole,
  );
}

// The header's "Language of the studio": remembered for a year, then the page is shown in it.
function chooseInterfaceLanguage(event) {
  const year = 365 * 24 * 3600;
  document.cookie = `leaflets-studio-lang=${event.target.value}; path=/; max-age=${year}; samesite=strict`;
  location.reload();
}

$("ui-lang")?.addEventListener("change", chooseInterfaceLanguage);

// A role's name in the interface's words (people.py's ROLES); the server's word otherwise.
function roleName(role) {
  const names = {
    coordinator: t("coordinator"),
    reviewer: t("reviewer"),
    translator: t("translator"),
    organiser: t("organiser"),
  };
  return names[role] || role;
}
