"""leaflets.toml's [leaflets.*] and [editions.*]: what each leaflet is, and how it is printed.

Each table is validated into the record the stages read (model.py's `Project` holds them);
validation gets the project folder in its context, to find the templates.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..errors import OutsideProject
from .paths import inside
from .validation import Expected, Given, Table, between, problem, problems_at, unexpected

PAPER_SIZES_IN = {"letter": (8.5, 11.0), "a4": (210 / 25.4, 297 / 25.4)}


def _template_inside(template: str, info: ValidationInfo) -> str:
    root = info.context["root"]
    templates = root / "templates"
    if template:
        # Named inside templates/, and found inside the project once links are followed: a
        # templates/ folder that links elsewhere in the project is fine.
        named = Path(os.path.normpath(templates / template))
        try:
            if not named.is_relative_to(templates):
                raise OutsideProject(template)
            path = inside(root, named)
        except OutsideProject:
            raise problem(f"must name a file inside templates/, got {template!r}") from None
        if not path.is_file():
            raise problem(f"templates/{template} does not exist")
    return template


def _trim_size(size: Any) -> tuple[float, float]:
    if not isinstance(size, list):
        raise unexpected()
    if len(size) != 2 or not all(
        isinstance(v, int | float) and not isinstance(v, bool) and 0.5 <= v <= 50 for v in size
    ):
        raise problem(f"expected [width, height] in inches, got {size!r}")
    return (float(size[0]), float(size[1]))


PageCount = Annotated[int, between(1, 100, "expected a whole number from 1 to 100, got {value}")]


def _body_sizes(sizes: Any) -> tuple[float, float]:
    if not isinstance(sizes, list):
        raise unexpected()
    if not (
        len(sizes) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in sizes)
        and 4 <= sizes[0] <= sizes[1] <= 72
    ):
        raise problem(
            f"expected [smallest, largest] body size in points, from 4 to 72, got {sizes!r}"
        )
    return (float(sizes[0]), float(sizes[1]))


class Leaflet(Table):
    name: Given[str]
    """Output file name: out/<lang>/<name>.pdf"""
    title: str
    template: Annotated[str, Expected("a template file name"), AfterValidator(_template_inside)]
    """Template file under templates/."""
    pages: PageCount | None = None
    """Exact page count, for fixed layouts."""
    max_pages: PageCount | None = None
    """Upper bound on the page count, for flowing layouts."""
    orientation: Literal["portrait", "landscape"] = "portrait"
    size: (
        Annotated[
            tuple[float, float],
            Expected("[width, height] in inches"),
            BeforeValidator(_trim_size),
        ]
        | None
    ) = None
    """Trim size in inches (width, height); None means the project's paper."""
    min_font_pt: Annotated[
        float, between(4, 72, "expected a size from 4 to 72 points, got {value}")
    ] = 10.0
    """Smallest type allowed on this leaflet: the floor that `--fit` may shrink to."""
    body_pt: Annotated[
        tuple[float, float],
        Expected("[smallest, largest] body size in points"),
        BeforeValidator(_body_sizes),
    ] = (12.0, 14.0)
    """The body type's range: fit chooses the largest size in it at which every region fits."""

    @model_validator(mode="after")
    def _one_page_count(self) -> Leaflet:
        if (self.pages is None) == (self.max_pages is None):
            raise problem("expected exactly one of pages (exact count) or max_pages (upper bound)")
        return self

    @model_validator(mode="after")
    def _body_above_the_floor(self) -> Leaflet:
        if self.body_pt[0] < self.min_font_pt:
            raise problems_at(
                (
                    ("body_pt",),
                    f"starts at {self.body_pt[0]:g} pt, below min_font_pt "
                    f"({self.min_font_pt:g} pt): body type may not be smaller than the floor",
                )
            )
        return self

    def page_size_in(self, paper: str) -> tuple[float, float]:
        if self.size is not None:
            return self.size
        width, height = PAPER_SIZES_IN[paper]
        return (height, width) if self.orientation == "landscape" else (width, height)


def _absolute_paths(profiles: Any) -> tuple[Path, ...]:
    if not isinstance(profiles, list):
        raise unexpected()
    if not all(isinstance(p, str) and Path(p).is_absolute() for p in profiles):
        raise problem("expected a list of absolute paths to CMYK .icc files")
    return tuple(Path(p) for p in profiles)


class Edition(Table):
    """How a leaflet is printed: on the office printer, or by a print shop."""

    name: Given[str]
    title: str
    bleed_in: Annotated[float, between(0, 0.5, "expected inches from 0 to 0.5, got {value}")] = 0.0
    """Bleed on every side, in inches: backgrounds run this far past the trim."""
    safe_margin_in: Annotated[
        float, between(0, 1.0, "expected inches from 0 to 1.0, got {value}")
    ] = 0.25
    """Everything important stays at least this far inside the trim."""
    crop_marks: bool = False
    """Draw crop marks (the press's cut lines) outside the bleed."""
    output_profiles: Annotated[
        tuple[Path, ...],
        Expected("a list of absolute paths to CMYK .icc files"),
        BeforeValidator(_absolute_paths),
    ] = ()
    """CMYK ICC profiles to use as the output intent; the first that exists wins."""
    pdf_x: bool = False  # after output_profiles, which its check reads
    """Write PDF/X-4 with an output intent, when one of output_profiles exists."""
    output_condition: str = ""
    """What the output intent says about the printing condition, for the printer."""

    @field_validator("pdf_x")
    @classmethod
    def _needs_a_profile(cls, pdf_x: bool, info: ValidationInfo) -> bool:
        if pdf_x and not info.data.get("output_profiles"):
            raise problem("needs output_profiles: PDF/X requires an output intent")
        return pdf_x

    @property
    def stylesheet(self) -> str:
        return f"styles/editions/{self.name}.css"
