"""The studio's request bodies, validated with pydantic like every other untrusted input:
strict types, no unknown keys, bounded sizes."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from starlette.requests import Request

from ..config.model import Project
from ..i18n.review import REVIEWER_MAX
from .people import ROLES

MAX_TEXT = 10_000
"""Characters in one msgid or translation: the longest paragraph here is under 400."""
MAX_FORMS = 6
"""Plural forms: gettext's nplurals goes up to 6."""
MAX_MESSAGES = 1_000
MAX_BODY_BYTES = 256 * 1024

Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
Forms = Annotated[list[Text], Field(min_length=1, max_length=MAX_FORMS)]


class Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class MessageRef(Body):
    """A message, and optionally the translation the person saw (to refuse a stale one)."""

    context: Text | None = None
    id: Text = Field(min_length=1)
    string: Text | None = None
    strings: Forms | None = None

    @property
    def seen(self) -> tuple[str, ...] | None:
        if self.strings is not None:
            return tuple(self.strings)
        return (self.string,) if self.string is not None else None


class TranslationBody(Body):
    """POST /api/translations/{lang}: {"context": null, "id": "…", "string": "…"}, or
    "strings": [...] for a plural message; "previous" (or "previous_strings") is the
    translation the editor started from."""

    context: Text | None = None
    id: Text = Field(min_length=1)
    string: Text | None = None
    strings: Forms | None = None
    previous: Text | None = None
    previous_strings: Forms | None = None

    @model_validator(mode="after")
    def _one_translation(self) -> TranslationBody:
        if (self.string is None) == (self.strings is None):
            raise ValueError('give either "string" or, for a plural message, "strings"')
        if self.previous is not None and self.previous_strings is not None:
            raise ValueError('give at most one of "previous" and "previous_strings"')
        return self

    @property
    def new(self) -> tuple[str, ...]:
        return tuple(self.strings) if self.strings is not None else (self.string or "",)

    @property
    def before(self) -> tuple[str, ...] | None:
        if self.previous_strings is not None:
            return tuple(self.previous_strings)
        return (self.previous,) if self.previous is not None else None


class ReviewBody(Body):
    """POST /api/reviews/{lang}: approve (or, with "approve": false, withdraw) messages, as
    the signed-in person (no name is typed)."""

    messages: Annotated[list[MessageRef], Field(min_length=1, max_length=MAX_MESSAGES)]
    approve: bool = True


class InvitationBody(Body):
    """POST /api/invitations: {"name": "…", "role": "reviewer", "languages": ["es"]}."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=REVIEWER_MAX)]
    role: Annotated[str, StringConstraints(pattern="^(" + "|".join(ROLES) + ")$")]
    languages: Annotated[
        list[Annotated[str, StringConstraints(max_length=35)]], Field(max_length=50)
    ] = []
    days: Annotated[int, Field(ge=1, le=365)] = 14


class BuildBody(Body):
    """POST /api/orders/{name}/build: {"allow_unreviewed": true} is a coordinator's "print
    anyway" for draft translations, as `leaflets order --allow-unreviewed`."""

    allow_unreviewed: bool = False


class SignInBody(Body):
    """POST /api/signin: {"invitation": "…"}, the token after '#' in an invitation link."""

    invitation: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Refused(Exception):
    """A request the studio answers with an error status and a JSON body."""

    def __init__(self, status: int, body: dict[str, Any]):
        self.status, self.body = status, body


def translated_language(request: Request, project: Project) -> str:
    """The `{lang}` of the request's path when the project translates into it; 404 if not."""
    lang = request.path_params["lang"]
    language = project.languages.get(lang)
    if language is None or language.source:
        raise Refused(404, {"error": f"{lang!r} is not a translated language here"})
    return lang


async def read_raw(request: Request) -> bytes:
    """The body of a JSON request, refused (415, 413) if it is not JSON or too big."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise Refused(415, {"error": "send the body as application/json"})
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BODY_BYTES:
            raise Refused(413, {"error": f"the body is over {MAX_BODY_BYTES} bytes"})
    return raw


async def read_body(request: Request, model):
    raw = await read_raw(request)
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        raise Refused(422, {"error": "invalid request body", "problems": problems(exc)}) from None


def problems(error: ValidationError) -> list[dict[str, Any]]:
    """Pydantic's errors as {"where": "messages.0.id", "message": "…"} for the 422 answer."""
    return [
        {"where": ".".join(str(part) for part in item["loc"]) or "body", "message": item["msg"]}
        for item in error.errors(include_url=False)
    ]
