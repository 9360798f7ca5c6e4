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

import json
import logging
import math
import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..config import project as project_mod
from ..config.model import CONFIG_NAME, CONTACTS_NAME, Project
from ..errors import LeafletsError
from ..i18n.checks import language_id
from ..i18n.po.compiled import recorded
from ..i18n.po.messages import MessageKey, key_of
from ..pipeline.cache import Fingerprint, Fingerprinter
from ..pipeline.manifest import Manifest
from ..pipeline.output import Output
from . import comments, saved_renderings
from .message_json import Desk, describe_error
from .rendering import Box, Rendering
from .store import Store

if TYPE_CHECKING:
    from .workshop import Workshop

log = logging.getLogger("leaflets.studio")
VERDICTS = "language id verdicts"
MAX_VERDICTS = 20_000


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
    outputs: dict[tuple[str, str], OutputState] = field(default_factory=dict)
    desks: dict[str, Desk] = field(default_factory=dict)
    config_error: dict[str, Any] | None = None
    memo: dict[str, Any] = field(default_factory=dict)
    store: Store | None = None
    """The state folder's database (use_store)."""
    unchecked: bool = False
    """Files changed since the outputs were last fingerprinted (`settle` does it, once for a
    burst of saves, just before the next render)."""
    _workshop: Workshop | None = field(default=None, init=False)
    _seeds: dict[Output, float] = field(default_factory=dict, init=False)
    """The body size each output fitted at when the studio last ran (see _seed)."""
    _kept_verdicts: int = field(default=0, init=False)
    _manifest: Manifest | None = field(default=None, init=False)
    """The build's record (its body sizes: _seed), read once."""

    def __post_init__(self) -> None:
        self.project = project_mod.load(self.root)
        self._remember_verdicts()

    def use_store(self, store: Store) -> None:
        """The state folder's database: the open comments each Desk shows, and the language
        identifier's verdicts kept from the last run, which spare the start its model (about a
        second of CPU) unless a text is new."""
        self.store = store
        try:
            language_id.remember(json.loads(store.setting(VERDICTS) or "{}"))
        except (ValueError, sqlite3.Error, OSError):
            pass  # a cache, not trusted input (remember() drops what is malformed)
        self._kept_verdicts = len(language_id.verdicts)

    def _keep_verdicts(self) -> None:
        """Keep the language identifier's verdicts for the next start, if it judged new texts:
        the latest MAX_VERDICTS of them."""
        if self.store is None or len(language_id.verdicts) == self._kept_verdicts:
            return
        latest = dict(list(language_id.verdicts.items())[-MAX_VERDICTS:])
        try:
            self.store.set_setting(VERDICTS, json.dumps(latest, separators=(",", ":")))
            self._kept_verdicts = len(language_id.verdicts)
        except (sqlite3.Error, OSError) as exc:  # only the next start is slower
            log.warning("could not keep the language identifier's verdicts: %s", exc)

    @property
    def workshop(self) -> Workshop:
        """The warm Builder, made when an output is first laid out: a rendering kept from the
        last run (saved_renderings.py) is shown without it, and so without WeasyPrint."""
        if self._workshop is None:
            # WeasyPrint and the layout stages: about half of the studio's start, not needed
            # until the first render.
            from .workshop import Workshop

            self._workshop = Workshop(self.project)
            for output, size in self._seeds.items():
                self._workshop.seed(output, size)
        return self._workshop

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
        """The body size this output fitted at when the studio last ran, or else the one
        `leaflets build` chose: its first render's fit search starts there (one layout instead
        of about three: the studio's start)."""
        try:
            kept = self.store.setting(_hint_key(output)) if self.store is not None else None
            size = float(kept) if kept else self._built_body_pt(output)
            if size is not None and math.isfinite(size):
                self._seeds[output] = size
                if self._workshop is not None:
                    self._workshop.seed(output, size)
        except (ValueError, sqlite3.Error, OSError):
            pass  # a cache, not trusted input: without it the search starts from scratch

    def _built_body_pt(self, output: Output) -> float | None:
        if self._manifest is None:
            self._manifest = Manifest.load(self.project.build.out)
        entry = self._manifest.get(output.path)
        return entry.body_pt_hint() if entry is not None else None

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

    def kept(self, lang: str, leaflet: str) -> bool:
        """Whether a rendering of the output was kept from the last run (it may be stale)."""
        return self.store is not None and saved_renderings.exists(self.store.folder, lang, leaflet)

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
            self._keep_verdicts()
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
        self._workshop = None
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
        if not old or self._workshop is None:
            return
        if {f"catalog {lang}", f"review {lang}"} & changed:
            self._workshop.forget_translations(lang)
        if any(name.startswith("styles/") for name in changed):
            self._workshop.builder.typesetter.forget_stylesheets()
        if {"fonts", "libraries", "leaflets version"} & changed:
            self._workshop = None

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
            self.boxes(state)

    def boxes(self, state: OutputState) -> dict[MessageKey, list[Box]]:
        """Where each message of the output's rendering prints, found once; the rendering,
        complete with them, is then kept for the studio's next start (saved_renderings.py)."""
        rendering = state.rendering
        assert rendering is not None
        if rendering.boxes is None:
            self.workshop.find_boxes(rendering)
            if self.store is not None:
                saved_renderings.save(self.store.folder, *state.key, rendering)
        assert rendering.boxes is not None
        return rendering.boxes

    def render(self, state: OutputState) -> None:
        """Lay the output out from its files as they are, or take the rendering the studio
        kept when it last saw these files (the studio's start, mostly)."""
        made_from = Fingerprint(state.pending).key if state.pending else ""  # "": not kept
        if self._take_kept(state, made_from):
            return
        hint = self.workshop.hint(state.output)
        try:
            state.rendering = self.workshop.render(state.output, state.version + 1)
            state.rendering.made_from = made_from
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
        self._keep_verdicts()

    def _take_kept(self, state: OutputState, made_from: str) -> bool:
        """Whether the output's rendering is the one kept when the studio last saw these files
        (`made_from`, their fingerprint), taken instead of laying the output out again."""
        if self.store is None or not made_from:
            return False
        kept = saved_renderings.load(self.store.folder, *state.key, made_from)
        if kept is None:
            return False
        state.version += 1
        kept.version = state.version
        state.rendering, state.error = kept, None
        state.parts, state.pending, state.dirty = state.pending, None, False
        return True

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
