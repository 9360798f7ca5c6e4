// Comments (issue 21, point 4): a message's threads in the editor, a box to ask or reply, a
// resolve button, and the marker on the page. Loaded before studio.js, whose helpers ($, el,
// api, say, view, canEdit) it calls once the page runs. Comment text is untrusted: it is only
// ever set as textContent (el's "text"), never as markup.
"use strict";

// Writes this page has sent whose "comments" event has not come back yet: the page already
// shows what they did, so their event does not fetch the thread again.
let ownCommentWrites = 0;

// The marker on a text's first box: its open threads, also in the button's spoken label.
function commentMarker(button, message) {
  const open = message.open_comments || 0;
  button.classList.toggle("has-comments", open > 0);
  if (open > 0) button.dataset.comments = String(open);
  else delete button.dataset.comments;
  // The label without its comment words, kept on the button: the words are translated.
  button.dataset.label ??= button.getAttribute("aria-label") || "";
  button.setAttribute("aria-label", button.dataset.label + commentWords(message));
}
function commentWords(message) {
  const open = message.open_comments || 0;
  return open ? ` — ${tn("{count} open comment", "{count} open comments", open)}` : "";
}

async function showComments(message) {
  // Another text's threads (and their buttons) never stand under this one meanwhile.
  $("m-threads").replaceChildren(el("p", { class: "hint", text: t("Loading the comments…") }));
  $("m-comments-count").textContent = "";
  const query = new URLSearchParams({ id: message.id, all: "1" });
  if (message.context) query.set("context", message.context);
  const answer = await api(`/api/comments/${view.lang}?${query}`);
  if (!view.selected || keyOf(view.selected) !== keyOf(message)) return;
  drawThreads(message, answer.ok ? answer.body.threads : []);
}

function drawThreads(message, threads) {
  const open = threads.filter((t) => !t.resolved);
  const resolved = threads.filter((t) => t.resolved);
  const parts = open.map((t) => threadNode(message, t));
  if (!open.length)
    parts.push(el("p", { class: "hint", text: t("No open comment on this text.") }));
  if (resolved.length)
    parts.push(
      el(
        "details",
        { class: "resolved-threads" },
        el("summary", { text: t("Resolved ({count})", { count: resolved.length }) }),
        ...resolved.map((t) => threadNode(message, t)),
      ),
    );
  $("m-threads").replaceChildren(...parts);
  $("m-comments-count").textContent = open.length ? `(${open.length} open)` : "";
  $("m-comment-new").hidden = !canEdit();
}

function threadNode(message, thread) {
  const list = el("ol", { class: "comments" }, ...thread.comments.map(commentNode));
  const node = el(
    "article",
    {
      class: "thread",
      "aria-label": t("Thread by {author}", { author: thread.comments[0].author }),
    },
    list,
  );
  if (thread.resolved)
    node.append(
      el("p", {
        class: "hint",
        text: t("Resolved by {person}, {when}", {
          person: thread.resolved_by,
          when: when(thread.resolved_at),
        }),
      }),
    );
  if (canEdit()) node.append(replyForm(message, thread));
  return node;
}

function commentNode(comment) {
  return el(
    "li",
    {},
    el(
      "p",
      { class: "comment-meta" },
      el("strong", { text: comment.author }),
      " · ",
      el("time", { datetime: comment.at, text: when(comment.at) }),
    ),
    // dir=auto: a comment in Arabic reads right to left, one in English left to right.
    el("p", { class: "comment-text", dir: "auto", text: comment.text }),
  );
}

function when(iso) {
  return iso ? iso.replace("T", " ").slice(0, 16) : "";
}

function replyForm(message, thread) {
  const id = `reply-${thread.id}`;
  const area = el("textarea", {
    id,
    rows: "2",
    maxlength: "2000",
    dir: "auto",
    class: "comment-box",
  });
  const send = el("button", { type: "button", class: "secondary", text: t("Reply") });
  send.addEventListener("click", () => sendComment(message, area, thread.id));
  sendOnCtrlEnter(area, send);
  const parts = [
    el("label", { for: id, text: t("Reply") }),
    area,
    el("div", { class: "buttons" }, send),
  ];
  if (!thread.resolved) {
    const done = el("button", { type: "button", class: "secondary", text: t("Resolve") });
    done.addEventListener("click", () => resolveThread(message, thread.id));
    parts[2].append(done);
  }
  return el("div", { class: "reply" }, ...parts);
}

function sendOnCtrlEnter(area, button) {
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      button.click();
    }
  });
}

async function sendComment(message, area, replyTo = null) {
  const text = area.value.trim();
  if (!text) {
    say(t("Not sent: the comment is empty."));
    area.focus();
    return;
  }
  const body = { context: message.context ?? null, id: message.id, text };
  if (replyTo !== null) body.reply_to = replyTo;
  ownCommentWrites++;
  const answer = await api(`/api/comments/${view.lang}`, {
    method: "POST",
    body: JSON.stringify(body),
  });
  if (!answer.ok) {
    ownCommentWrites--;
    const error = answer.body.error || answer.body.problems?.[0]?.message || answer.status;
    say(t("Not sent: {error}", { error }));
    return;
  }
  area.value = "";
  say(replyTo === null ? t("Comment added.") : t("Reply added."));
  commentsChanged(message, answer.body, replyTo);
}

async function resolveThread(message, threadId) {
  ownCommentWrites++;
  const answer = await api(`/api/comments/${view.lang}/${threadId}/resolve`, {
    method: "POST",
    body: "{}",
  });
  if (!answer.ok) {
    ownCommentWrites--;
    say(t("Not resolved: {error}", { error: answer.body.error || answer.status }));
    return;
  }
  say(t("Thread resolved."));
  commentsChanged(message, answer.body);
  $("m-comment-text").focus(); // the resolved thread's buttons are gone
}

// After a write: the thread, the count in the page's data, the markers and the list; focus
// stays in the thread a reply went to.
function commentsChanged(message, body, replyTo = null) {
  countChanged(message, body.open_comments);
  if (view.selected && keyOf(view.selected) === keyOf(message)) drawThreads(message, body.threads);
  const box = replyTo !== null && $(`reply-${replyTo}`);
  if (box) box.focus();
}

function countChanged(message, count) {
  for (const m of [message, ...(view.data ? view.data.messages : [])])
    if (keyOf(m) === keyOf(message)) m.open_comments = count;
  document
    .querySelectorAll(`.msg[data-key="${CSS.escape(keyOf(message))}"]:not([tabindex="-1"])`)
    .forEach((button) => commentMarker(button, message));
  if (view.data) drawList(view.data);
}

// Someone wrote or resolved a comment (the "comments" event): the marker follows; the open
// thread is fetched again unless it would take away a reply being written, or the focus.
function commentEvent(d) {
  const own = ownCommentWrites > 0;
  if (own) ownCommentWrites--;
  if (d.lang !== view.lang) return;
  const message = { context: d.context, id: d.id };
  countChanged(message, d.open_comments);
  if (own) return;
  if (!view.selected || keyOf(view.selected) !== keyOf(message)) return;
  const writing = [...document.querySelectorAll("#m-threads textarea")].some((a) => a.value);
  if (!writing && !$("m-threads").contains(document.activeElement)) showComments(view.selected);
}

function setUpComments() {
  $("m-comment-send").addEventListener("click", () => {
    if (view.selected) sendComment(view.selected, $("m-comment-text"));
  });
  sendOnCtrlEnter($("m-comment-text"), $("m-comment-send"));
}
