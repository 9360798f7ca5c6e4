"""The studio's commits (`[studio] commit = true`): one per person per batch, authored by the
person, of that person's files only, in a real git repository made from a project copy. The app
runs in process with Starlette's TestClient; batches are made due by calling the flush the timer
calls, so no test waits for minutes to pass. No PDF is rendered."""

from __future__ import annotations

import contextlib
import logging
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaflets.studio import commits as commits_mod
from leaflets.studio import history, people
from leaflets.studio.commits import Commits, author, git_env
from leaflets.studio.people import Person
from leaflets.studio.store import Store
from tests.conftest import copy_project
from tests.studio.test_access_matrix import Team, signed_in_team

ES, HT = "locales/es/LC_MESSAGES/messages.po", "locales/ht/LC_MESSAGES/messages.po"
QUIET_S = 5 * 60


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", *args], cwd=root, env=git_env(), capture_output=True, text=True, check=True
    )
    return done.stdout


def project(tmp_path: Path, studio_table: str | None, repository: bool = True) -> Path:
    root = copy_project(tmp_path / "project")
    if studio_table is not None:
        with (root / "leaflets.toml").open("a", encoding="utf-8") as config:
            config.write(f"\n[studio]\n{studio_table}\n")
    if repository:
        git(root, "init", "--quiet")
        git(root, "add", "-A")
        ident = ("-c", "user.name=Setup", "-c", "user.email=setup@example.invalid")
        git(root, *ident, "commit", "--quiet", "-m", "the project")
    return root


@contextlib.contextmanager
def studio(root: Path, *roles: str) -> Iterator[tuple[Team, Commits]]:
    """The app on `root`, with each role signed in; leaving it shuts the app down."""
    with signed_in_team(root, roles) as team:
        yield team, team.client.app.state.commits


@pytest.fixture(autouse=True)
def no_global_git_config(tmp_path, monkeypatch):
    """The machine's own git configuration (hooks, signing) stays out of these tests."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))


def save(team: Team, role: str, lang: str, msgid: str, text: str, context=None) -> None:
    body = {"id": msgid, "string": text, "context": context}
    answer = team.call(role, "POST", f"/api/translations/{lang}", body)
    assert answer.status_code == 200 and answer.json()["changed"], answer.text


def flush_due(team: Team, commits: Commits, after_s: float) -> None:
    """What the timer does once `after_s` seconds have passed, on the worker thread."""
    now = time.monotonic() + after_s
    team.client.portal.call(team.client.app.state.live.run, commits.flush_due, now)


def log(root: Path) -> list[dict[str, str]]:
    """The studio's commits, oldest first: author, committer, message, files and diff."""
    hashes = git(root, "rev-list", "--reverse", "HEAD").split()[1:]
    found = []
    for commit in hashes:
        head = git(root, "show", "-s", "--format=%an%n%ae%n%cn%n%B", commit).split("\n", 3)
        files = git(root, "show", "--format=", "--name-only", commit).split()
        diff = git(root, "show", "--format=", commit)
        added = [ln for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("++")]
        found.append(
            {
                "author": f"{head[0]} <{head[1]}>",
                "committer": head[2],
                "message": head[3].strip(),
                "files": files,
                "added": "\n".join(added),
            }
        )
    return found


def test_two_people_get_a_commit_each_with_only_their_own_work(tmp_path):
    root = project(tmp_path, "commit = true")
    with studio(root, "reviewer", "translator", "coordinator") as (team, commits):
        save(team, "reviewer", "es", "Need help?", "¿Necesitas ayuda?")
        save(team, "translator", "ht", "Need help?", "Èske ou bezwen èd?")
        assert log(root) == []  # a batch waits for its person to be quiet
        # Cora writes the Spanish catalog Rosa changed: Rosa's work is committed first.
        save(team, "coordinator", "es", "Interpreters available.", "Intérpretes, sí.")
        assert [c["author"] for c in log(root)] == ["Rosa <rosa@leaflets.invalid>"]
        flush_due(team, commits, QUIET_S - 5)
        assert len(log(root)) == 1
        flush_due(team, commits, QUIET_S + 1)
        rosa, tijo, cora = log(root)
    assert (tijo["author"], tijo["files"]) == ("Tijo <tijo@leaflets.invalid>", [HT])
    assert (cora["author"], cora["files"]) == ("Cora <cora@leaflets.invalid>", [ES])
    assert rosa["files"] == [ES] and rosa["committer"] == commits_mod.COMMITTER[0]
    assert "¿Necesitas ayuda?" in rosa["added"] and "Intérpretes" not in rosa["added"]
    assert "Intérpretes, sí." in cora["added"] and "Necesitas" not in cora["added"]
    assert rosa["message"].startswith("es: 1 saved in the studio\n")
    assert '- es saved: "Need help?"' in rosa["message"]
    assert '- ht saved: "Need help?"' in tijo["message"]
    assert not git(root, "status", "--porcelain", "--untracked-files=no")


def test_a_batch_holds_one_persons_saves_and_approvals(tmp_path):
    root = project(tmp_path, "commit = true\ncommit_after_minutes = 10")
    with studio(root, "reviewer") as (team, commits):
        save(team, "reviewer", "es", "Need help?", "¿Necesitas ayuda?")
        save(team, "reviewer", "es", "Call", "Llame", context="phone label")
        save(team, "reviewer", "es", "Need help?", "¿Necesita ayuda, ahora?")
        body = {"messages": [{"id": "Call", "context": "phone label", "string": "Llame"}]}
        assert team.call("reviewer", "POST", "/api/reviews/es", body).status_code == 200
        flush_due(team, commits, 5 * 60 + 1)
        assert log(root) == []  # 10 minutes here
        flush_due(team, commits, 10 * 60 + 1)
        (batch,) = log(root)
    assert batch["files"] == ["locales/es/LC_MESSAGES/messages.po", "locales/es/review.toml"]
    assert batch["message"].splitlines() == [
        "es: 2 saved, 1 approved in the studio",
        "",
        '- es saved: "Need help?"',
        '- es saved: "Call" (context "phone label")',
        '- es approved: "Call" (context "phone label")',
        "",
        "From the leaflets studio, by Rosa.",
    ]
    assert "¿Necesita ayuda, ahora?" in batch["added"]


def test_without_the_setting_nothing_is_committed(tmp_path):
    for n, table in enumerate((None, "commit = false\ncommit_after_minutes = 0")):
        root = project(tmp_path / str(n), table)
        with studio(root, "reviewer") as (team, commits):
            save(team, "reviewer", "es", "Need help?", "¿Necesitas ayuda?")
            assert commits.pending == {}
        assert log(root) == []
        assert git(root, "status", "--porcelain", "--untracked-files=no") == f" M {ES}\n"


def test_zero_minutes_commits_each_change_before_answering(tmp_path):
    root = project(tmp_path, "commit = true\ncommit_after_minutes = 0")
    with studio(root, "reviewer") as (team, _):
        save(team, "reviewer", "es", "Need help?", "¿Necesitas ayuda?")
        assert len(log(root)) == 1
        save(team, "reviewer", "es", "Interpreters available.", "Intérpretes, sí.")
        assert [c["message"].splitlines()[2] for c in log(root)] == [
            '- es saved: "Need help?"',
            '- es saved: "Interpreters available."',
        ]


def test_shutdown_commits_what_is_pending(tmp_path):
    root = project(tmp_path, "commit = true\ncommit_after_minutes = 60")
    with studio(root, "reviewer", "translator") as (team, commits):
        save(team, "reviewer", "es", "Need help?", "¿Necesitas ayuda?")
        save(team, "translator", "ht", "Interpreters available.", "Gen entèprèt.")
        assert set(commits.pending) == {"Rosa", "Tijo"} and log(root) == []
    assert sorted(c["author"] for c in log(root)) == [
        "Rosa <rosa@leaflets.invalid>",
        "Tijo <tijo@leaflets.invalid>",
    ]


def test_the_timer_commits_a_batch_once_it_is_due(tmp_path):
    root = project(tmp_path, "commit = true")
    with studio(root, "reviewer") as (team, commits):
        save(team, "reviewer", "es", "Need help?", "¿Necesitas ayuda?")
        commits.pending["Rosa"].last -= QUIET_S  # five quiet minutes, without waiting them
        team.client.portal.start_task_soon(_wake, commits)
        deadline = time.monotonic() + 5.0
        while not log(root):
            assert time.monotonic() < deadline, "the timer did not commit"
            time.sleep(0.02)


async def _wake(commits: Commits) -> None:
    assert commits._wake is not None
    commits._wake()


def test_not_a_repository_is_said_once_and_saves_go_on(tmp_path, caplog):
    root = project(tmp_path, "commit = true\ncommit_after_minutes = 0", repository=False)
    caplog.set_level(logging.WARNING, "leaflets.studio")
    with studio(root, "reviewer") as (team, commits):
        save(team, "reviewer", "es", "Need help?", "¿Necesitas ayuda?")
        save(team, "reviewer", "es", "Interpreters available.", "Intérpretes, sí.")
        assert commits.pending == {}
    said = [r.getMessage() for r in caplog.records if "git" in r.getMessage()]
    assert len(said) == 1, said
    assert "is not in a git repository" in said[0] and "without committing" in said[0]
    assert 'msgstr "Intérpretes, sí."' in (root / ES).read_text(encoding="utf-8")


def test_a_git_failure_is_said_and_the_save_kept(tmp_path, caplog):
    root = project(tmp_path, "commit = true\ncommit_after_minutes = 0")
    (root / ".git" / "hooks" / "pre-commit").write_text("#!/bin/sh\nexit 1\n")
    (root / ".git" / "hooks" / "pre-commit").chmod(0o755)
    caplog.set_level(logging.WARNING, "leaflets.studio")
    with studio(root, "reviewer") as (team, _):
        save(team, "reviewer", "es", "Need help?", "¿Necesitas ayuda?")
    said = [r.getMessage() for r in caplog.records]
    assert any(f"could not commit Rosa's changes to {ES}" in s for s in said), said
    assert log(root) == [] and "Necesitas" in (root / ES).read_text(encoding="utf-8")


def test_the_callers_git_variables_do_not_redirect_the_commit(tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    git(tmp_path, "init", "--quiet", str(elsewhere))
    root = project(tmp_path, "commit = true\ncommit_after_minutes = 0")
    monkeypatch.setenv("GIT_DIR", str(elsewhere / ".git"))
    monkeypatch.setenv("GIT_AUTHOR_NAME", "Someone Else")
    with studio(root, "reviewer") as (team, _):
        save(team, "reviewer", "es", "Need help?", "¿Necesitas ayuda?")
    monkeypatch.delenv("GIT_DIR")
    assert [c["author"] for c in log(root)] == ["Rosa <rosa@leaflets.invalid>"]


def test_an_author_from_any_name():
    assert author("Ana Rivera") == ("Ana Rivera", "ana-rivera@leaflets.invalid")
    assert author("Ana Rivera", "ana@example.org") == ("Ana Rivera", "ana@example.org")
    assert author("Marie Josèphe") == ("Marie Josèphe", "marie-josephe@leaflets.invalid")
    name, email = author("Σοφία")
    assert name == "Σοφία" and email.startswith("person-") and email == author("Σοφία")[1]
    name, email = author("<.>")
    assert name.startswith("studio person ") and email.endswith("@leaflets.invalid")


def test_an_address_given_at_the_invitation_is_the_authors(tmp_path):
    root = project(tmp_path, "commit = true\ncommit_after_minutes = 0")
    rosa = Person("Rosa", "reviewer", ("es",), email="rosa@example.org")
    people.invite(Store.of_project(root).create(), rosa)
    with studio(root, "reviewer") as (team, _):  # invited again, without an address
        save(team, "reviewer", "es", "Need help?", "¿Necesitas ayuda?")
    assert [c["author"] for c in log(root)] == ["Rosa <rosa@example.org>"]


def test_a_withdrawal_is_committed_with_its_words(tmp_path):
    root = project(tmp_path, "commit = true\ncommit_after_minutes = 0")
    body = {"messages": [{"id": "Need help?", "string": "¿Necesita ayuda?"}]}
    with studio(root, "reviewer") as (team, _):
        assert team.call("reviewer", "POST", "/api/reviews/es", body).status_code == 200
        body["approve"] = False
        assert team.call("reviewer", "POST", "/api/reviews/es", body).status_code == 200
    approved, withdrawn = log(root)
    assert approved["files"] == withdrawn["files"] == ["locales/es/review.toml"]
    assert withdrawn["message"].splitlines()[:3] == [
        "es: 1 approval withdrawn in the studio",
        "",
        '- es approval withdrawn: "Need help?"',
    ]
    assert set(commits_mod.WORDS) == set(history.ACTIONS)
