"""Run `leaflets check`, pofilter (translate-toolkit) and `msgfmt -c` on the slip corpus
(tests/data/slips/slips.toml), each slip alone on a copy of the shipped catalog, and count
what each tool reports beyond what it says about the shipped catalog (issue 23).

    .venv/bin/pip install translate-toolkit   # for pofilter; not a dependency of leaflets
    .venv/bin/python devtools/compare_slips.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from leaflets.i18n.po.catalog import po_bytes, read_catalog  # noqa: E402
from tests.conftest import copy_project  # noqa: E402
from tests.i18n.checks.test_slips import SLIPS, apply, findings_for, verdict  # noqa: E402


def pofilter(po: Path, work: Path) -> set[str]:
    """The (msgid, test) pairs pofilter flags."""
    out = work / "pofilter.po"
    out.unlink(missing_ok=True)
    subprocess.run(["pofilter", "--progress=none", str(po), str(out)], capture_output=True)
    if not out.exists():
        return set()
    flagged = set()
    for message in read_catalog(out):
        for comment in message.user_comments:
            if comment.startswith("(pofilter)"):
                flagged.add((message.context, str(message.id), comment.split(":")[0]))
    return flagged


def msgfmt(po: Path) -> tuple[bool, set[str]]:
    """Whether `msgfmt -c` fails, and what it says (line numbers taken out)."""
    run = subprocess.run(
        ["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True
    )
    said = {line.split(": ", 2)[-1] for line in run.stderr.splitlines() if line.strip()}
    return run.returncode != 0, said


def main() -> None:
    if shutil.which("pofilter") is None and not (Path(sys.executable).parent / "pofilter").exists():
        sys.exit("pofilter not found: pip install translate-toolkit")
    root = copy_project(Path(tempfile.mkdtemp()) / "project")
    work = root / "work"
    work.mkdir()
    base = {}
    for lang in ("es", "ht"):
        po = root / "locales" / lang / "LC_MESSAGES" / "messages.po"
        base[lang] = (pofilter(po, work), msgfmt(po)[1])
    rows = []
    for slip in SLIPS:
        ours = verdict(slip, findings_for(slip, root))
        shipped = REPO / "locales" / slip["lang"] / "LC_MESSAGES" / "messages.po"
        catalog = read_catalog(shipped)
        apply(slip, catalog)
        po = work / "slip.po"
        po.write_bytes(po_bytes(catalog, shipped.read_bytes()))
        theirs = pofilter(po, work) - base[slip["lang"]][0]
        failed, said = msgfmt(po)
        said -= base[slip["lang"]][1]
        rows.append((slip, ours, bool(theirs), failed, bool(said)))
        print(
            f"{slip['expect']:7} check={ours:7} pofilter={'yes' if theirs else 'no':3} "
            f"msgfmt={'fatal' if failed else 'warns' if said else 'no':5} {slip['lang']} "
            f"{slip['kind']}"
        )
    real = [r for r in rows if r[0]["expect"] != "none"]
    harmless = [r for r in rows if r[0]["expect"] == "none"]
    print(f"\n{len(real)} real slips, {len(harmless)} harmless texts")
    print(
        f"leaflets check: caught {sum(r[1] != 'none' for r in real)}, "
        f"as errors {sum(r[1] == 'error' for r in real)}, "
        f"false errors {sum(r[1] == 'error' for r in harmless)}, "
        f"harmless warned {sum(r[1] == 'warning' for r in harmless)}"
    )
    print(
        f"pofilter: caught {sum(r[2] for r in real)}, flagged harmless {sum(r[2] for r in harmless)}"
    )
    print(
        f"msgfmt -c: caught {sum(r[3] or r[4] for r in real)} (fatal {sum(r[3] for r in real)}), "
        f"on harmless {sum(r[3] or r[4] for r in harmless)} (fatal {sum(r[3] for r in harmless)})"
    )


if __name__ == "__main__":
    main()
