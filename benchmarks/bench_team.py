"""Benchmark ten reviewers at once (issue 20, point 8). Run it with `make bench-team`; the test
suite does not (tests/studio/test_many_reviewers.py checks the same for correctness).

On a fresh copy of the project, ten reviewers of Spanish are invited and signed in (each their
own session: cookie and csrf) to a studio of its own (`leaflets serve` over loopback, as a
person runs it). Each opens the events stream, as their page does, and one page shows the wallet
card in Spanish, so that the studio renders it after every change. Then, for N rounds, the ten
save one string each (different strings, the card's first) and approve it, all at once.

It prints the median and 90th percentile (nearest rank) of:

  save        a save's answer time (POST /api/translations/es)
  event       from a save's answer to its "changed" event on each of the ten streams (the k-th
              event of a round is the k-th save answered: the studio's one worker answers them in
              turn); below zero when the event arrives before the answer does
  card        from a save's answer to the moment each page has received the card's new image:
              each page, on the card's first "rendered" event after the save's own, fetches
              GET /pages/es/card/1.png?v=<version> as studio.js does (showNewImages), and the
              time is when that image's last byte arrived: when every open page shows the
              saved text
  card_sent   the same, from the moment the save was sent: the save's own wait included
  approve     an approval's answer time (POST /api/reviews/es)
  studio_cpu  the CPU seconds the studio's process used for a whole round (ten saves, ten
              approvals, the renders): on a busy machine the wall times wait for other programs

and writes them to benchmarks/team-results.json.
"""

from __future__ import annotations

import argparse
import copy
import http.client
import json
import os
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench_build import busy_cpu_seconds, copy_project
from bench_studio import p90, start_studio

from leaflets.i18n.checks.message import message_errors
from leaflets.i18n.po.catalog import read_catalog
from leaflets.i18n.po.messages import has_text
from leaflets.studio import people
from leaflets.studio.store import Store

NAMES = ("Alba", "Bruno", "Carmen", "Diego", "Elena", "Fermín", "Gloria", "Hugo", "Irene", "Julio")
ES_PO = "locales/es/LC_MESSAGES/messages.po"
WORDS = ("ya", "hoy", "aqui", "bien", "ahora", "otra", "vez", "mas", "luego", "pronto", "asi")
WAIT_S = 60.0


class Page:
    """One reviewer's page over loopback: their session, and a thread reading their events."""

    def __init__(self, port: int, name: str, invitation: str):
        self.port, self.name = port, name
        status, body, headers = self.request("POST", "/api/signin", {"invitation": invitation})
        assert status == 200, body
        self.cookie = headers["set-cookie"].split(";", 1)[0]
        self.csrf = json.loads(self.request("GET", "/api/session")[1])["csrf"]
        self.events: list[tuple[float, str, dict]] = []
        self.images: dict[int, float] = {}
        """When this page received each version of the card's page 1."""
        self.heard = threading.Condition()
        threading.Thread(target=self._listen, daemon=True).start()

    def request(self, method: str, path: str, body: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=WAIT_S)
        headers = {"Origin": f"http://127.0.0.1:{self.port}"}
        if getattr(self, "cookie", None):
            headers |= {"Cookie": self.cookie, "X-Leaflets-Token": getattr(self, "csrf", "")}
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        connection.request(method, path, data, headers)
        answer = connection.getresponse()
        content = answer.read()
        connection.close()
        return answer.status, content, {k.lower(): v for k, v in answer.getheaders()}

    def _listen(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port)
        connection.request("GET", "/api/events", headers={"Cookie": self.cookie})
        event = ""
        for raw in connection.getresponse():
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = json.loads(line[6:])
                with self.heard:
                    self.events.append((time.perf_counter(), event, data))
                    self.heard.notify_all()
                if event == "rendered" and _is_card(data) and not data["error"]:
                    threading.Thread(target=self._fetch, args=(data["version"],)).start()

    def _fetch(self, version: int) -> None:
        """The new image, as the page fetches it on a "rendered" event."""
        status, png, _ = self.request("GET", f"/pages/es/card/1.png?v={version}")
        assert status == 200 and png, status
        with self.heard:
            self.images[version] = time.perf_counter()
            self.heard.notify_all()

    def wait(self, test, timeout: float = WAIT_S) -> None:
        with self.heard:
            assert self.heard.wait_for(lambda: test(self.events), timeout), self.events[-5:]


def card_first_strings(root: Path, count: int, rounds: int) -> list[tuple[str, str]]:
    """(msgid, translation) of Spanish messages, the wallet card's first, that every round's
    new text (the translation and a word) leaves free of errors."""
    path = root / ES_PO
    catalog = read_catalog(path)
    found = []
    for message in sorted(
        (m for m in catalog if m.id),
        key=lambda m: not any(name.endswith("card.html.j2") for name, _ in m.locations),
    ):
        if isinstance(message.id, tuple) or message.context or not has_text(message):
            continue
        edited = copy.copy(message)
        texts = [f"{message.string} {WORDS[r % len(WORDS)]}" for r in range(rounds)]
        if message.fuzzy or any(
            message_errors(_with(edited, t), catalog.num_plurals, path) for t in texts
        ):
            continue
        found.append((message.id, message.string))
    return found[:count]


def _with(message, text: str):
    message.string = text
    return message


def one_round(pages: list[Page], strings, current: dict, number: int) -> dict[str, list[float]]:
    """Everyone saves and approves at once; the figures of this round."""
    start = threading.Barrier(len(pages))
    seen = [len(page.events) for page in pages]  # this round's events come after these

    def work(item: tuple[Page, tuple[str, str]]) -> tuple[float, float, float, float]:
        page, (msgid, original) = item
        new = f"{original} {WORDS[number % len(WORDS)]}"
        body = {"id": msgid, "string": new, "previous": current[msgid]}
        start.wait(WAIT_S)
        began = time.perf_counter()
        status, answer, _ = page.request("POST", "/api/translations/es", body)
        answered = time.perf_counter()
        assert status == 200, answer
        current[msgid] = new
        approval = {"messages": [{"id": msgid, "string": new}], "approve": True}
        status, answer, _ = page.request("POST", "/api/reviews/es", approval)
        assert status == 200, answer
        return answered - began, answered, time.perf_counter() - answered, began

    with ThreadPoolExecutor(len(pages)) as pool:
        results = list(pool.map(work, zip(pages, strings, strict=True)))
    figures: dict[str, list[float]] = {"save": [r[0] for r in results], "event": [], "card": []}
    figures |= {"card_sent": [], "approve": [r[2] for r in results]}
    answered = {page.name: r[1] for page, r in zip(pages, results, strict=True)}
    sent = {page.name: r[3] for page, r in zip(pages, results, strict=True)}
    for page, first in zip(pages, seen, strict=True):
        # Each save's own event (named by its person), then the card rendered after it.
        page.wait(lambda events, first=first: len(_saves(events[first:])) == len(pages))
        page.wait(lambda events, first=first: _card_after(events[first:], _last(events[first:])))
        events = page.events[first:]
        for name, at in _saves(events).items():
            figures["event"].append(at - answered[name])
            version = _card_after(events, at)
            with page.heard:
                assert page.heard.wait_for(lambda v=version, p=page: v in p.images, WAIT_S), version
            figures["card"].append(page.images[version] - answered[name])
            figures["card_sent"].append(page.images[version] - sent[name])
    return figures


def _saves(events) -> dict[str, float]:
    """When each person's save was heard."""
    return {
        data["by"]: at
        for at, kind, data in events
        if kind == "changed" and ES_PO in data["paths"] and data["by"]
    }


def _last(events) -> float:
    return max(_saves(events).values())


def _is_card(data: dict) -> bool:
    return (data.get("lang"), data.get("leaflet")) == ("es", "card")


def _card_after(events, after: float) -> int | None:
    """The version of the card's next "rendered" event after `after`: the render that ends
    after a save's event has read the saved file (a save marks the card to render again
    before its event is sent)."""
    for at, kind, data in events:
        if kind == "rendered" and _is_card(data) and at > after and not data["error"]:
            return data["version"]
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    load, busy = os.getloadavg(), busy_cpu_seconds()
    figures: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="leaflets-bench-team-") as tmp:
        root = copy_project(Path(tmp) / "project")
        store = Store.of_project(root).create()
        invitations = {
            n: people.invite(store, people.Person(n, "reviewer", ("es",))) for n in NAMES
        }
        strings = card_first_strings(root, len(NAMES), args.rounds + 1)
        current = dict(strings)
        process, port, _ = start_studio(root)
        try:
            pages = [Page(port, name, invitations[name]) for name in NAMES]
            for page in pages:
                page.wait(lambda events: any(kind == "hello" for _, kind, _ in events))
            status, body, _ = pages[0].request("GET", "/api/leaflets/es/card")  # a page shows it
            assert status == 200, body
            for number in range(args.rounds + 1):  # the first round warms up, uncounted
                cpu = cpu_seconds(process.pid)
                found = one_round(pages, strings, current, number)
                found["studio_cpu"] = [cpu_seconds(process.pid) - cpu]
                for name, samples in found.items():
                    figures.setdefault(name, []).extend(samples if number else [])
        finally:
            process.terminate()
            process.wait(timeout=30)
    report(figures, args.rounds, load, busy_cpu_seconds() - busy)


def cpu_seconds(pid: int) -> float:
    """The CPU time a process has used (Linux), which a busy machine changes less than the
    wall time: a round's shows what the studio's work costs, waiting aside."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(figures: dict[str, list[float]], rounds: int, load, busy: float) -> None:
    results = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "reviewers": len(NAMES),
        "rounds": rounds,
        "load_average_at_start": [round(x, 2) for x in load],
        "machine_busy_cpu_s": round(busy, 1),
        "cores": len(os.sched_getaffinity(0)),
        "seconds": {
            name: {"median": round(statistics.median(s), 4), "p90": round(p90(s), 4), "n": len(s)}
            for name, s in figures.items()
        },
    }
    (Path(__file__).parent / "team-results.json").write_text(
        json.dumps(results, indent=2) + "\n", encoding="utf-8"
    )
    print(
        f"{len(NAMES)} reviewers, {rounds} rounds; load average at start {results['load_average_at_start']}"
    )
    print(f"{'':<10}{'median':>10}{'p90':>10}{'n':>6}")
    for name, row in results["seconds"].items():
        print(f"{name:<10}{row['median']:>9.3f}s{row['p90']:>9.3f}s{row['n']:>6}")


if __name__ == "__main__":
    main()
