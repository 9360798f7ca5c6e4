"""Issue 12 (Smaller): with out/ unwritable, the build's own error is the one reported; the
manifest, which cannot be written either, used to hide it."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from leaflets.config import project as project_mod
from leaflets.pipeline import build as build_mod
from leaflets.pipeline import manifest, stages

pytestmark = pytest.mark.pdf  # it builds


def test_the_pdf_error_is_reported_not_the_manifests(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
):
    def denied(path: Path, data: bytes) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    # Root ignores permissions, so out/ is made unwritable where leaflets writes to it.
    monkeypatch.setattr(stages, "write_atomic", denied)
    monkeypatch.setattr(manifest, "write_atomic", denied)
    project = project_mod.load(project_copy)
    (output,) = build_mod.plan(project, ["en"], ["card"])
    with pytest.raises(PermissionError) as caught:
        build_mod.build(project, [output])
    assert caught.value.filename == str(output.path)
