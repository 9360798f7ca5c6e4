// An invitation link: its token is after '#', so it never reaches a server's log. Trade it for
// a session cookie, forget it, and open the studio.
"use strict";

async function join() {
  const status = document.getElementById("join-status");
  const invitation = decodeURIComponent(location.hash.slice(1));
  history.replaceState(null, "", "/join");
  if (!invitation) {
    status.textContent = t("This link has no invitation in it. Open the whole link you were sent.");
    return;
  }
  try {
    const response = await fetch("/api/signin", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ invitation }),
      credentials: "same-origin",
    });
    const data = await response.json();
    if (!response.ok) {
      status.textContent =
        data.error || t("Could not sign you in ({status}).", { status: response.status });
      return;
    }
    status.textContent = t("Signed in as {name}. Opening the studio…", { name: data.name });
    location.replace("/");
  } catch (error) {
    status.textContent = t("Could not reach the studio: {error}", { error });
  }
}

join();
