"""Doctor: are the fast paths and the essentials in place on this machine and in this project?

It checks what a build needs (WeasyPrint's system libraries, the fonts, readable catalogs) and
what makes it fast (HarfBuzz's subsetter, compiled catalogs), and says what to do about each.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..config.fonts import faces, missing_weights, package_name
from ..config.model import DEFAULT_FONTS, Project
from ..errors import CatalogError, FontNotInstalled, OutsideProject
from ..i18n.po.catalog import read_catalog
from ..i18n.po.compiled import catalog_paths, is_stale
from ..layout.harfbuzz import harfbuzz_version
from ..pipeline.build import default_jobs

# A machine without WeasyPrint's libraries still gets the doctor's report, which says so.
weasyprint_error: Exception | None = None
try:
    from ..layout import weasyprint_adapters
except (OSError, ImportError) as error:
    weasyprint_adapters, weasyprint_error = None, error

INSTALL_SYSTEM_DEPS = (
    "run `sudo make system-deps`, or `sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 "
    "libharfbuzz-subset0`"
)
FONT_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true")


@dataclass(frozen=True)
class Check:
    """One line of the doctor's report."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    essential: bool = True
    """A failed essential check means builds fail; a failed non-essential one, that they are slow
    or do extra work."""

    @property
    def status(self) -> str:
        if self.ok:
            return "ok"
        return "missing" if self.essential else "warn"


def check_engine() -> list[Check]:
    """WeasyPrint's libraries, asked the way WeasyPrint asks itself before it subsets a font."""
    if weasyprint_adapters is None:
        return [
            Check(
                "WeasyPrint",
                False,
                f"cannot load its system libraries ({weasyprint_error})",
                INSTALL_SYSTEM_DEPS,
            )
        ]
    version = harfbuzz_version()
    checks = [Check("WeasyPrint", True, f"its system libraries load (HarfBuzz {version})")]
    subsetter = weasyprint_adapters.subsetter()
    if subsetter == "no libharfbuzz-subset":
        checks.append(
            Check(
                "fast font subsetter",
                False,
                "libharfbuzz-subset is not installed: WeasyPrint falls back to fontTools, "
                "which makes every PDF several times slower to write",
                INSTALL_SYSTEM_DEPS,
                essential=False,
            )
        )
    elif subsetter == "old harfbuzz":
        checks.append(
            Check(
                "fast font subsetter",
                False,
                f"HarfBuzz {version} is older than 4.1.0: WeasyPrint falls back to fontTools",
                "upgrade HarfBuzz with the system's package manager",
                essential=False,
            )
        )
    else:
        checks.append(Check("fast font subsetter", True, f"libharfbuzz-subset {version}"))
    return checks


def check_fonts(project: Project | None) -> list[Check]:
    """Each declared font family: its package installed, with regular and bold faces that are
    font files. Outside a project, the default family."""
    families = project.declared_fonts if project is not None else DEFAULT_FONTS
    users = _who_declares(project) if project is not None else {}
    return [_check_family(family, users.get(family, "")) for family in families]


def _who_declares(project: Project) -> dict[str, str]:
    """Family → where leaflets.toml names it ("build.fonts", "languages.ar.fonts")."""
    users: dict[str, list[str]] = {}
    for family in project.build.fonts:
        users.setdefault(family, []).append("build.fonts")
    for language in project.languages.values():
        for family in language.fonts or ():
            users.setdefault(family, []).append(f"languages.{language.code}.fonts")
    return {family: ", ".join(names) for family, names in users.items()}


def _check_family(family: str, declared_in: str) -> Check:
    name = f"font {family}"
    package = package_name(family)
    where = f" ({declared_in} in leaflets.toml)" if declared_in else ""
    fix = f"`pip install {package}`, and list it in pyproject.toml's dependencies"
    try:
        found = faces(family)
        missing = missing_weights(family)
    except FontNotInstalled:
        return Check(name, False, f"the package {package} is not installed{where}", fix)
    reinstall = f"reinstall the font package: `pip install --force-reinstall {package}`"
    if missing:
        weights = ", ".join(map(str, missing))
        return Check(name, False, f"{family} has no upright face of weight {weights}", reinstall)
    for face in found:
        try:
            with face.path.open("rb") as fileobj:
                magic = fileobj.read(4)
        except OSError:
            return Check(name, False, f"{face.path} cannot be read", reinstall)
        if magic not in FONT_MAGIC:
            return Check(name, False, f"{face.path} is not a TrueType or OpenType font", reinstall)
    folder = found[0].path.parent
    return Check(name, True, f"{len(found)} faces in {folder}{where}")


def check_catalogs(project: Project) -> list[Check]:
    checks = []
    pot = project.pot_path.relative_to(project.root)
    for lang in project.languages.values():
        if lang.source:
            continue
        po = project.po_path(lang.code)
        shown = po.relative_to(project.root)
        name = f"catalog {lang.code}"
        if not po.is_file():
            checks.append(
                Check(
                    name,
                    False,
                    f"{shown} is missing: {lang.name} leaflets cannot be built",
                    f"start it from the template: `pybabel init -i {pot} -d locales -l {lang.code}`",
                )
            )
            continue
        try:
            catalog_paths(project, lang.code)
            read_catalog(po)
        except (CatalogError, OutsideProject) as exc:
            checks.append(Check(name, False, str(exc), "fix the line it names, then run again"))
            continue
        mo = project.mo_path(lang.code).relative_to(project.root)
        if is_stale(project, lang.code):
            state = "not compiled" if not project.mo_path(lang.code).exists() else "stale"
            checks.append(
                Check(
                    name,
                    False,
                    f"{mo} is {state}; the next build compiles it first",
                    "run `leaflets compile` (or just `leaflets build`)",
                    essential=False,
                )
            )
        else:
            checks.append(Check(name, True, f"{shown} compiled and fresh"))
    return checks


def check_cores() -> Check:
    cores = default_jobs()
    return Check("parallel builds", True, f"{cores} cores: `leaflets build` runs {cores} workers")


def diagnose(project: Project | None) -> list[Check]:
    """Every check, in the order they are shown. `project` is None outside a project folder."""
    checks = [*check_engine(), *check_fonts(project), check_cores()]
    if project is not None:
        checks += check_catalogs(project)
    return checks
