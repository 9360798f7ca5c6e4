"""The studio's state: the project, the warm Workshop, each output's last good rendering and
each language's Desk, and what a change on disk affects.

What a change affects is the build's own answer: each output's fingerprint (pipeline/cache.py),
computed again after a file changes and compared part by part with the one it was last
rendered with. A saved .po changes "catalog es" (and perhaps "review es") of the Spanish
outputs only; a stylesheet the outputs that use it; leaflets.toml the outputs whose tables
changed. Only outputs someone has looked at are kept current; the others render when asked.

Every method runs on the studio's one worker thread (worker.py), so nothing here is shared
between threads.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..config import project as project_mod
from ..config.model import CONFIG_NAME, CONTACTS_NAME, Project
from ..errors import LeafletsError
from ..i18n.checks import language_id
from ..i18n.po.compiled import recorded
from ..i18n.po.messages import key_of
from ..pipeline.cache import Fingerprinter
from ..pipeline.output import Output
from . import comments
from .message_json import Desk, describe_error
from .store import Store
from .workshop import Rendering, Workshop

log = logging.getLogger("leaflets.studio")


@dataclass
class OutputState:
    """One leaflet in one language, as the studio knows it."""

    output: Output
    rendering: Rendering | None = None
    """The last rendering without an error: it stays on the page while an error is fixed."""
    error: dict[str, Any] | None = None
    parts: dict[str, str] | None = None
    """The fingerprint the current rendering (or error) was made from."""
    pending: dict[str, str] | None = None
    dirty: bool = True
    wanted: float = 0.0
    """When a page last asked for it; 0 for never."""
    version: int = 0

    @property
    def key(self) -> tuple[str, str]:
        return (self.output.lang, self.output.leaflet)

    def has(self, version: str | None) -> bool:
        """Whether its rendering is the version a page asks for (?v=), or a later one."""
        if self.rendering is None or not version or not version.isdigit():
            return False
        return self.rendering.version >= int(version)


@dataclass
class Studio:
    """Everything the studio knows about one project; see the module docstring."""

    root: Path
    project: Project = field(init=False)
    workshop: Workshop = field(init=False)
    outputs: dict[tuple[str, str], OutputState] = field(default_factory=dict)
    desks: dict[str, Desk] = field(default_factory=dict)
    config_error: dict[str, Any] | None = None
    memo: dict[str, Any] = field(default_factory=dict)
    store: Store | None = None
    """The state folder's database, for the open comments each Desk shows."""
    unchecked: bool = False
    """Files changed since the outputs were last fingerprinted (`settle` does it, once for a
    burst of saves, just before the next render)."""

    def __post_init__(self) -> None:
        self.project = project_mod.load(self.root)
        self.workshop = Workshop(self.project)
        self._remember_verdicts()

    def _remember_verdicts(self) -> None:
        """What the language identifier said of each text when the catalogs were last
        compiled: the review state's checks then need not load its model (about a second of
        the studio's start) unless a text is new."""
        for code, language in self.project.languages.items():
            try:
                if not language.source:
                    language_id.remember(recorded(self.project, code).get("verdicts"))
            except (LeafletsError, OSError, ValueError):
                pass  # a damaged .mo: its language's checks ask the model, as without one

    # ------------------------------------------------------------ looking things up

    def output(self, lang: str, leaflet: str) -> OutputState:
        """The output's state; KeyError for a language or leaflet the project lacks."""
        if lang not in self.project.languages or leaflet not in self.project.leaflets:
            raise KeyError((lang, leaflet))
        key = (lang, leaflet)
        if key not in self.outputs:
            path = self.project.output_path(lang, leaflet)
            self.outputs[key] = OutputState(Output(leaflet, lang, path))
            self._seed(self.outputs[key].output)
        return self.outputs[key]

    def _seed(self, output: Output) -> None:
        """The body size this output fitted at when the studio last ran: its first render's
        fit search starts there (one layout instead of about three: the studio's start)."""
        try:
            kept = self.store.setting(_hint_key(output)) if self.store is not None else None
            if kept and math.isfinite(size := float(kept)):
                self.workshop.seed(output, size)
        except (ValueError, sqlite3.Error, OSError):
            pass  # a cache, not trusted input: without it the search starts from scratch

    def want(self, lang: str, leaflet: str) -> OutputState:
        """A page looks at this output: keep it current, and render it first."""
        state = self.output(lang, leaflet)
        first = state.wanted == 0.0
        state.wanted = time.monotonic()
        if first:
            self._recheck([state])
        return state

    def default_views(self) -> list[tuple[str, str]]:
        """What the page shows when it opens (studio.js, start()): the first leaflet in the
        first translated language, and beside it the same leaflet in the source language."""
        project = self.project
        languages = list(project.languages.values())
        shown = next((lang for lang in languages if not lang.source), languages[0])
        leaflet = next(iter(project.leaflets))
        source = project.source_language.code
        return [(shown.code, leaflet), *([(source, leaflet)] * (source != shown.code))]

    def prepare(self, lang: str, leaflet: str) -> None:
        """Render the output now, before a page asks for it (the studio's start), and find
        its boxes: the page on screen first; the rest renders when the page asks."""
        state = self.want(lang, leaflet)
        if state.dirty:
            self.render(state)
        self.find_boxes(state)

    def can_show(self, state: OutputState | None, version: str | None) -> bool:
        """Whether a page's image is served from the output's rendering as it is: a page looks
        at it, and it is current or is the version the page asks for (?v=, or a later one)."""
        if state is None or not state.wanted:
            return False
        return self.is_current(state) or state.has(version)

    def desk(self, lang: str) -> Desk:
        if lang not in self.desks:
            desk = Desk.load(self.project, lang)
            if self.store is not None and not desk.source:
                desk.open_comments = comments.open_counts(self.store, lang)
            self.desks[lang] = desk
        return self.desks[lang]

    def recount_comments(self, lang: str, context: str | None, msgid: str) -> int:
        """A comment was written or resolved: the language's open threads read again; the
        message's count."""
        desk = self.desk(lang)
        if self.store is not None:
            desk.open_comments = comments.open_counts(self.store, lang)
        return desk.open_comments.get(key_of(context, msgid), 0)

    # ------------------------------------------------------------ changes on disk

    def refresh(self, paths: Iterable[Path]) -> None:
        """Files changed (saved by the studio or any other program): reload what they feed.
        The outputs are fingerprinted again by `settle`, not here: fingerprinting compiles the
        catalog (about 0.1 s), and ten saves in a row need it once, before the next render."""
        names = {self._relative(path) for path in paths}
        reload = names & {CONFIG_NAME, CONTACTS_NAME} or self.config_error
        if reload and not self._reload_project():
            return
        for lang in list(self.desks):
            feeds = (
                self.project.po_path(lang),
                self.project.review_path(lang),
                self.project.pot_path,
            )
            if {self._relative(path) for path in feeds} & names:
                del self.desks[lang]
        self.unchecked = True

    def settle(self) -> None:
        """Fingerprint the outputs pages look at again, if files changed since last time."""
        if self.unchecked:
            self.unchecked = False
            self._recheck([s for s in self.outputs.values() if s.wanted])

    def is_current(self, state: OutputState) -> bool:
        """Whether the output's rendering (or error) is made from the files as they are."""
        return not state.dirty and not (self.unchecked and state.wanted)

    def _relative(self, path: Path) -> str:
        path = Path(path)
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else ""

    def _reload_project(self) -> bool:
        try:
            project = project_mod.load(self.root)
        except LeafletsError as exc:
            self.config_error = describe_error(exc, self.root)
            return False
        self.config_error = None
        self.project = project
        self.workshop = Workshop(project)
        self._remember_verdicts()
        self.desks.clear()
        known = [key for key in self.outputs if self._exists(*key)]
        self.outputs = {key: self.outputs[key] for key in known}
        for state in self.outputs.values():
            state.output = Output(
                state.output.leaflet, state.output.lang, project.output_path(*state.key)
            )
            self._seed(state.output)
        return True

    def _exists(self, lang: str, leaflet: str) -> bool:
        return lang in self.project.languages and leaflet in self.project.leaflets

    def _recheck(self, states: list[OutputState]) -> None:
        """Fingerprint the outputs again; those whose parts changed are rendered again."""
        fingerprinter = Fingerprinter(self.project, memo=self.memo)
        for state in states:
            try:
                parts = fingerprinter.fingerprint(state.output.leaflet, state.output.lang).parts
            except LeafletsError as exc:  # a .po or review.toml that does not parse
                state.error, state.dirty = describe_error(exc, self.root), False
                continue
            # After an error, any change may be its fix: render again.
            if parts != state.parts or state.error:
                self._forget(state.parts or {}, parts, state.output.lang)
                state.pending, state.dirty = parts, True

    def _forget(self, old: dict[str, str], new: dict[str, str], lang: str) -> None:
        """Drop what the Workshop keeps of the parts that changed."""
        changed = {name for name in {*old, *new} if old.get(name) != new.get(name)}
        if not old:
            return
        if {f"catalog {lang}", f"review {lang}"} & changed:
            self.workshop.forget_translations(lang)
        if any(name.startswith("styles/") for name in changed):
            self.workshop.builder.typesetter.forget_stylesheets()
        if {"fonts", "libraries", "leaflets version"} & changed:
            self.workshop = Workshop(self.project)

    # ------------------------------------------------------------ rendering

    def next_dirty(self) -> OutputState | None:
        """The stale output a page looked at most recently."""
        self.settle()
        dirty = [s for s in self.outputs.values() if s.dirty and s.wanted]
        return max(dirty, key=lambda s: s.wanted) if dirty else None

    def find_boxes(self, state: OutputState) -> None:
        """Where each message of the output's current rendering prints (marked_layout.py);
        not while files changed since the rendering: the next one comes first, and a page that
        asks for these boxes meanwhile has them found then (leaflet_json.py)."""
        if state.rendering is not None and self.is_current(state):
            self.workshop.find_boxes(state.rendering)

    def render(self, state: OutputState) -> None:
        hint = self.workshop.hint(state.output)
        try:
            state.rendering = self.workshop.render(state.output, state.version + 1)
            state.version += 1
            state.error = None
        except LeafletsError as exc:
            state.error = describe_error(exc, self.root)
        except Exception:  # a bug, not the user's: say so on the page and keep serving
            log.exception("rendering %s failed", state.output.label)
            state.error = {
                "text": f"{state.output.label}: the studio failed to render this leaflet "
                "(an internal error; the terminal shows the details)",
                "file": None,
                "line": None,
            }
        finally:
            state.parts, state.pending, state.dirty = state.pending, None, False
        if self.workshop.hint(state.output) != hint:
            self._keep_hint(state.output)

    def _keep_hint(self, output: Output) -> None:
        """Keep the size the output fitted at for the studio's next start (see _seed)."""
        if self.store is None:
            return
        try:
            self.store.set_setting(_hint_key(output), str(self.workshop.hint(output)))
        except (sqlite3.Error, OSError) as exc:  # only the next start is slower
            log.warning("could not keep %s's body size: %s", output.label, exc)


def _hint_key(output: Output) -> str:
    return f"studio fit {output.lang} {output.leaflet}"
