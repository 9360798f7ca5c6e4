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

// The interface's words, in English for now: new strings go through t() so that a translated
// interface can replace this one definition.
const t = (text) => text;
