"""Orders: validation of order files, sheet arithmetic, and the package `leaflets order` writes.

The shipped example order (press edition, three items) is built once per session through the
command line; a small office-edition order is built once per module. Bad orders live in
tests/data/orders/bad/, each breaking tests/data/orders/good.toml in one way.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaflets.config import project as project_mod
from leaflets.errors import AuditError, FitError, OrderError
from leaflets.layout import page
from leaflets.pipeline import build as build_mod
from leaflets.press import editions, impose, names, orders, sheets
from leaflets.press import package as printing
from leaflets.press.impose import PT
from tests.conftest import REPO, copy_project
from tests.pdftext import page_texts, text
from tests.press.conftest import EXAMPLE, ORDERS, SLUG, run_cli

TOLERANCE_IN = 0.01


# ---------------------------------------------------------------- fixtures
#
# `example` (the README's order, press edition) and `office` (an office-edition order) are
# session fixtures in tests/press/conftest.py, shared with test_ticket.py.


def item(ticket: dict, leaflet: str, language: str) -> dict:
    return next(i for i in ticket["items"] if (i["leaflet"], i["language"]) == (leaflet, language))


def boxes(page: pikepdf.Page) -> dict[str, list[float]]:
    return {
        name: [float(v) / PT for v in page.obj.get(f"/{name}", page.MediaBox)]
        for name in ("MediaBox", "CropBox", "BleedBox", "TrimBox")
    }


# ---------------------------------------------------------------- sheet arithmetic


@pytest.mark.parametrize(
    ("quantity", "per_sheet", "per_run", "expected"),
    [
        (250, 1, 1, (250, 250, 250, 0)),
        (500, 10, 1, (50, 50, 500, 0)),
        (505, 10, 1, (51, 51, 510, 5)),
        (1, 10, 1, (1, 1, 10, 9)),
        (10_000, 10, 1, (1_000, 1_000, 10_000, 0)),
        (100_000, 10, 1, (10_000, 10_000, 100_000, 0)),
        (3, 1, 2, (3, 6, 3, 0)),  # a four-page large print: two sheets a copy
    ],
)
def test_sheet_count_is_exact(quantity, per_sheet, per_run, expected):
    count = sheets.sheet_count(quantity, per_sheet, per_run)
    assert (count.runs, count.sheets, count.copies, count.overage) == expected


@given(st.integers(1, orders.MAX_QUANTITY), st.integers(1, 24))
def test_sheet_count_never_prints_short_nor_a_sheet_too_many(quantity, per_sheet):
    count = sheets.sheet_count(quantity, per_sheet)
    assert count.copies >= quantity
    assert (count.runs - 1) * per_sheet < quantity
    assert count.overage == count.copies - quantity < per_sheet


def test_sheet_count_refuses_nonsense():
    with pytest.raises(ValueError):
        sheets.sheet_count(0, 10)


# ---------------------------------------------------------------- bad orders


BAD = {
    "invalid-toml": (1, "invalid TOML: Illegal character '\\n'; fix the syntax"),
    "unknown-leaflet": (
        16,
        "items[0] (poster × en × 100): leaflet: unknown leaflet 'poster'; expected one of: "
        '"trifold", "flyer", "card", "large-print"',
    ),
    "unknown-language": (
        17,
        "items[0] (card × fr × 100): language: unknown language 'fr'; expected one of: "
        '"en", "es", "ht"',
    ),
    "unknown-edition": (
        8,
        'edition: unknown edition \'digital\'; leaflets.toml has: "office", "press"',
    ),
    "unknown-office": (
        7,
        'deliver_to: unknown office \'st-john\'; contacts.toml has: "st-croix", "st-thomas"',
    ),
    "quantity-zero": (
        18,
        "items[0] (card × en × 0): quantity: expected from 1 to 100,000 copies, got 0",
    ),
    "quantity-negative": (
        18,
        "items[0] (card × en × -50): quantity: expected from 1 to 100,000 copies, got -50",
    ),
    "quantity-fraction": (
        18,
        "items[0] (card × en × 2.5): quantity: expected a whole number of copies, got 2.5",
    ),
    "quantity-text": (
        18,
        "items[0] (card × en × 100): quantity: expected a whole number of copies, got '100'",
    ),
    "quantity-too-many": (
        18,
        "items[0] (card × en × 100001): quantity: expected from 1 to 100,000 copies, got 100,001",
    ),
    "need-by-after-event": (
        6,
        "need_by: 2099-03-01 is after the event (2099-02-14); the leaflets must arrive "
        "before the event",
    ),
    "unreviewed-language": (
        17,
        'items[0] (card × ht × 100): language: "ht" (Kreyòl ayisyen) is not reviewed '
        "(not every translation is approved; see `leaflets status`), so its leaflets are "
        "drafts; have a native speaker review it in `leaflets serve`, or pass "
        "--allow-unreviewed and the ticket will say so",
    ),
    "unknown-key": (
        10,
        "colour: unknown key; expected one of: deliver_to, edition, event, event_date, items, "
        "name, need_by, notes, paper, requested_by, stock",
    ),
    "unknown-item-key": (
        19,
        "items[0] (card × en × 100): color: unknown key; expected one of: language, leaflet, "
        "quantity",
    ),
    "duplicate-item": (
        21,
        "items[1] (card × en × 50): leaflet: the same leaflet and language as items[0]; add "
        "the quantities into one item",
    ),
}


def test_every_bad_order_file_has_a_case():
    assert {p.stem for p in (ORDERS / "bad").glob("*.toml")} == set(BAD)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_order_names_file_item_and_problem(name):
    project = project_mod.load(REPO)
    path = ORDERS / "bad" / f"{name}.toml"
    line, message = BAD[name]
    with pytest.raises(OrderError) as caught:
        orders.load_order(project, path)
    assert caught.value.path == path
    assert caught.value.line == line
    assert caught.value.message == message


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_order_writes_nothing(project_copy: Path, name):
    path = project_copy / "orders" / f"{name}.toml"
    shutil.copy(ORDERS / "bad" / f"{name}.toml", path)
    result = run_cli("--project", str(project_copy), "order", str(path))
    assert result.exit_code == 1
    assert f"{name}.toml:{BAD[name][0]}: {BAD[name][1]}" in result.output
    assert "Traceback" not in result.output
    assert not (project_copy / "out").exists()


def test_every_problem_is_reported_at_once(tmp_path: Path):
    project = project_mod.load(REPO)
    path = tmp_path / "many.toml"
    path.write_text(
        (ORDERS / "good.toml")
        .read_text(encoding="utf-8")
        .replace('edition = "office"', 'edition = "web"')
        .replace("quantity = 100", "quantity = 0"),
        encoding="utf-8",
    )
    with pytest.raises(OrderError) as caught:
        orders.load_order(project, path)
    report = str(caught.value)
    assert "2 problems" in report
    assert f"{path}:8: edition: unknown edition 'web'" in report
    assert f"{path}:18: items[0] (card × en × 0): quantity:" in report


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        (
            'email = "outreach@example.org"',
            'email = "outreach"',
            13,
            "requested_by.email: expected an email address, got 'outreach'",
        ),
        (
            'email = "outreach@example.org"',
            'phone = "+1 340 719 014"',
            13,
            "requested_by.phone: not a valid phone number: '+1 340 719 014'; check the digits "
            '(write it with its area code, such as "+1 340 719 0144")',
        ),
        (
            'email = "outreach@example.org"',
            "",
            11,
            "requested_by: needs an email or a phone number, so the printer can ask",
        ),
        (
            'name = "Test requester"',
            'name = "  "',
            12,
            "requested_by.name: expected the requester's name, got '  '",
        ),
        (
            "event_date = 2099-02-14",
            'event_date = "soon"',
            5,
            "event_date: expected a date such as 2027-02-14, got 'soon'",
        ),
        (
            "event_date = 2099-02-14",
            "event_date = 2099-02-14T09:00:00",
            5,
            "event_date: expected a date such as 2027-02-14, got a date and time (2099-02-14T09:00:00)",
        ),
        ('event = "Test fair"', "", None, "event: missing; expected the event's name"),
        (
            'deliver_to = "st-croix"',
            "deliver_to = 3",
            7,
            'deliver_to: unknown office 3; contacts.toml has: "st-croix", "st-thomas"',
        ),
        (
            'paper = "letter"',
            'paper = "legal"',
            9,
            'paper: unknown paper \'legal\'; expected one of: "letter", "a4"',
        ),
        (
            "quantity = 100",
            "quantity = true",
            18,
            "items[0] (card × en × True): quantity: expected a whole number of copies, got true",
        ),
    ],
    ids=[
        "email",
        "phone",
        "no-contact",
        "blank-name",
        "date-text",
        "date-time",
        "no-event",
        "office-type",
        "paper",
        "quantity-bool",
    ],
)
def test_each_order_rule_names_its_key_and_line(tmp_path: Path, old, new, line, message):
    project = project_mod.load(REPO)
    text = (ORDERS / "good.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "order.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(OrderError) as caught:
        orders.load_order(project, path)
    assert caught.value.problems == [(line, message)]


def test_an_order_date_may_be_written_as_text(tmp_path: Path):
    project = project_mod.load(REPO)
    path = tmp_path / "order.toml"
    text = (ORDERS / "good.toml").read_text(encoding="utf-8")
    path.write_text(text.replace("need_by = 2099-02-07", 'need_by = "2099-02-07"'))
    assert orders.load_order(project, path).need_by == date(2099, 2, 7)


def test_a_date_in_the_past_is_a_warning_not_an_error():
    project = project_mod.load(REPO)
    order = orders.load_order(project, ORDERS / "good.toml", today=date(2099, 2, 10))
    assert order.warnings == ("need_by 2099-02-07 is in the past",)
    assert orders.load_order(project, ORDERS / "good.toml", today=date(2099, 1, 1)).warnings == ()


def test_unreviewed_language_is_allowed_with_the_flag():
    project = project_mod.load(REPO)
    path = ORDERS / "bad" / "unreviewed-language.toml"
    order = orders.load_order(project, path, allow_unreviewed=True)
    assert [lang.code for lang in order.unreviewed] == ["ht"]


def test_missing_order_file_is_a_clear_error(tmp_path: Path):
    project = project_mod.load(REPO)
    with pytest.raises(OrderError, match="order file not found"):
        orders.load_order(project, tmp_path / "nope.toml")


# ---------------------------------------------------------------- slugs


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("../../etc", "etc"),
        ("..", "order"),
        ("/etc/passwd", "etc-passwd"),
        ("Feria Agrícola 2027", "feria-agricola-2027"),
        ("a\\b\x00c", "a-b-c"),
        ("", "order"),
        ("x" * 200, "x" * names.SLUG_MAX),
    ],
)
def test_slugs_are_plain_folder_names(name, slug):
    assert names.slugify(name) == slug


def test_an_order_name_never_escapes_out_orders(office):
    project, order, package = office
    assert order.slug == "office-escape"
    assert package.path == project.build.out / "orders" / "office-escape"
    assert package.path.is_dir()
    assert {p.name for p in (project.build.out / "orders").iterdir()} == {"office-escape"}


# ---------------------------------------------------------------- the example package


def test_example_order_needs_the_flag_as_the_readme_says(tmp_path: Path):
    root = copy_project(tmp_path / "project")
    result = run_cli("--project", str(root), "order", str(root / EXAMPLE))
    assert result.exit_code == 1
    assert "--allow-unreviewed" in result.output
    assert not (root / "out").exists()


def test_package_holds_one_print_file_per_item_and_the_rest(example):
    _, folder, _ = example
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())
    assert files == [
        "01-trifold-es.pdf",
        "02-trifold-en.pdf",
        "03-card-ht.pdf",
        f"{SLUG}.zip",
        "manifest.json",
        "proofs/card-ht.pdf",
        "proofs/trifold-en.pdf",
        "proofs/trifold-es.pdf",
        "ticket.json",
        "ticket.pdf",
    ]
    # No staging folders left beside it.
    assert [p.name for p in folder.parent.iterdir()] == [SLUG]


def test_ticket_facts(example):
    _, _, ticket = example
    assert ticket["event"] == {"name": "Agriculture and Food Fair, St. Croix", "date": "2027-02-14"}
    assert ticket["need_by"] == "2027-02-08"
    assert ticket["deliver_to"]["office"] == "st-croix"
    assert ticket["deliver_to"]["name"] == "St. Croix Office"
    assert ticket["paper"]["size"] == "letter"
    assert ticket["edition"]["name"] == "press"
    assert [lang["code"] for lang in ticket["unreviewed_languages"]] == ["es", "ht"]
    assert ticket["allow_unreviewed"] is True

    es = item(ticket, "trifold", "es")
    assert (es["quantity"], es["per_sheet"], es["sheets"], es["overage"]) == (250, 1, 250, 0)
    assert (es["duplex"], es["flip"]) == (True, "short")
    assert "letter fold" in es["finishing"] and "cover panel out" in es["finishing"]
    assert es["reviewed"] is False
    en = item(ticket, "trifold", "en")
    assert (en["quantity"], en["sheets"], en["reviewed"]) == (100, 100, True)
    card = item(ticket, "card", "ht")
    assert (card["quantity"], card["per_sheet"], card["layout"]) == (500, 10, "2 × 5")
    assert (card["print_runs"], card["sheets"], card["copies"], card["overage"]) == (50, 50, 500, 0)
    assert (card["duplex"], card["flip"]) == (True, "long")
    assert card["sheet_in"] == [8.5, 11.0]
    assert card["finishing"].startswith("Cut 2 × 5 at the crop marks")
    assert ticket["total_sheets"] == 400
    assert ticket["total_copies"] == 850


def test_ticket_pdf_is_one_page_and_shows_the_same_facts(example):
    _, folder, ticket = example
    pages = page_texts(folder / "ticket.pdf")
    assert len(pages) == 1
    shown = text(folder / "ticket.pdf")
    for fact in (
        "Need by 2027-02-08",
        "St. Croix Office",
        "12 × 9.5 in (item 1)",
        "01-trifold-es.pdf",
        "03-card-ht.pdf",
        "letter fold (tri-fold), cover panel out",
        "Cut 2 × 5 at the crop marks",
        "flip on long edge",
        "flip on short edge",
        "DRAFT TRANSLATION",
        "Kreyòl ayisyen (ht) have not been reviewed",
        "--allow-unreviewed",
    ):
        assert fact in shown, fact
    assert str(ticket["total_sheets"]) in shown


def test_manifest_matches_the_files(example):
    _, folder, _ = example
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry for entry in manifest["files"]}
    on_disk = {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and p.name not in ("manifest.json", f"{SLUG}.zip")
    }
    assert set(listed) == on_disk
    for name, entry in listed.items():
        data = (folder / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest(), name
        assert entry["bytes"] == len(data)


def test_zip_holds_the_whole_package(example):
    _, folder, _ = example
    with zipfile.ZipFile(folder / f"{SLUG}.zip") as archive:
        names = sorted(archive.namelist())
        expected = sorted(
            f"{SLUG}/{p.relative_to(folder)}"
            for p in folder.rglob("*")
            if p.is_file() and p.suffix != ".zip"
        )
        assert names == expected
        for name in names:
            assert archive.read(name) == (folder / name.removeprefix(f"{SLUG}/")).read_bytes()


# ---------------------------------------------------------------- editions in the package


def test_press_sheet_boxes(example):
    _, folder, _ = example
    with pikepdf.open(folder / "03-card-ht.pdf") as sheet:
        for page in sheet.pages:
            b = boxes(page)
            assert b["MediaBox"] == pytest.approx([0, 0, 8.5, 11])
            assert b["CropBox"] == b["MediaBox"]
            assert b["TrimBox"] == pytest.approx([0.75, 0.5, 7.75, 10.5], abs=TOLERANCE_IN)
            assert b["BleedBox"] == pytest.approx([0.625, 0.375, 7.875, 10.625], abs=TOLERANCE_IN)
    with pikepdf.open(folder / "01-trifold-es.pdf") as sheet:
        pad = 0.125 + impose.SLUG_IN
        for page in sheet.pages:
            b = boxes(page)
            assert b["TrimBox"] == pytest.approx([pad, pad, pad + 11, pad + 8.5], abs=TOLERANCE_IN)
            assert b["BleedBox"] == pytest.approx(
                [pad - 0.125, pad - 0.125, pad + 11.125, pad + 8.625], abs=TOLERANCE_IN
            )
            assert b["MediaBox"] == pytest.approx([0, 0, 11 + 2 * pad, 8.5 + 2 * pad])


def test_press_proof_has_bleed_and_trim_boxes(example):
    _, folder, _ = example
    with pikepdf.open(folder / "proofs" / "trifold-en.pdf") as proof:
        for page in proof.pages:
            b = boxes(page)
            trim, bleed = b["TrimBox"], b["BleedBox"]
            assert trim[2] - trim[0] == pytest.approx(11) and trim[3] - trim[1] == pytest.approx(
                8.5
            )
            assert [bleed[0], bleed[1]] == pytest.approx([trim[0] - 0.125, trim[1] - 0.125])
            assert [bleed[2], bleed[3]] == pytest.approx([trim[2] + 0.125, trim[3] + 0.125])
            media = b["MediaBox"]
            assert media[0] <= bleed[0] and media[2] >= bleed[2]


def test_press_background_runs_into_the_bleed(example):
    _, folder, _ = example
    document = pypdfium2.PdfDocument(folder / "proofs" / "trifold-en.pdf")
    try:
        image = document[0].render(scale=1).to_pil().convert("RGB")
    finally:
        document.close()
    width, height = image.size  # 1 px per point: 11.25 × 8.75 in with the bleed
    assert (width, height) == (810, 630)
    # The cover panel's band reaches past the trim on the right, top and bottom.
    band = image.getpixel((width - 3, height // 2))
    assert band != (255, 255, 255) and min(band) > 180
    assert image.getpixel((width - 40, 3)) == band
    assert image.getpixel((width - 40, height - 3)) == band
    # The left edge has no background: white paper.
    assert image.getpixel((3, height // 2)) == (255, 255, 255)


@pytest.mark.parametrize("proof", ["card-ht.pdf", "trifold-es.pdf", "trifold-en.pdf"])
def test_press_text_keeps_the_safe_margin(example, proof):
    check_safe_margin(example[1] / "proofs" / proof, 0.25)


@pytest.mark.parametrize("leaflet", ["card", "flyer", "trifold"])
def test_office_text_keeps_the_safe_margin(office, leaflet):
    _, _, package = office
    printed = next(p for p in package.items if p.item.leaflet.name == leaflet)
    check_safe_margin(package.path / printed.proof, 0.25)


def check_safe_margin(path: Path, margin: float) -> None:
    with pikepdf.open(path) as pdf:
        trims = [[float(v) for v in page.trimbox] for page in pdf.pages]
    document = pypdfium2.PdfDocument(path)
    try:
        for page, trim in zip(document, trims, strict=True):
            textpage = page.get_textpage()
            count = textpage.count_chars()
            assert count > 20
            for index in range(count):
                if textpage.get_text_range(index, 1).isspace():
                    continue
                left, bottom, right, top = textpage.get_charbox(index)
                inside = min(left - trim[0], bottom - trim[1], trim[2] - right, trim[3] - top)
                assert inside / PT >= margin - TOLERANCE_IN, (path.name, index, inside / PT)
    finally:
        document.close()


@pytest.mark.skipif(
    page.output_profile(project_mod.load(REPO).editions["press"]) is None,
    reason="no CMYK output profile installed (Debian package libgs-common)",
)
def test_press_proof_is_pdf_x4_with_an_output_intent_and_stays_tagged(example):
    _, folder, ticket = example
    assert ticket["edition"]["pdf_x"] is True
    for name in ("proofs/trifold-es.pdf", "proofs/card-ht.pdf", "03-card-ht.pdf"):
        with pikepdf.open(folder / name) as pdf:
            (intent,) = pdf.Root.OutputIntents
            assert str(intent.S) == "/GTS_PDFX"
            profile = intent.DestOutputProfile.read_bytes()
            assert profile[12:16] == b"prtr" and profile[16:20] == b"CMYK"
            assert intent.DestOutputProfile.N == 4
            meta = pdf.open_metadata()
            assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
            assert pdf.docinfo["/Trapped"] == pikepdf.Name("/False")
            for page in pdf.pages:
                assert "/TrimBox" in page.obj
            if name.startswith("proofs/"):
                # The single leaflet keeps its PDF/UA tagging alongside PDF/X.
                assert meta["pdfuaid:part"] == "1"
                assert "/StructTreeRoot" in pdf.Root
                assert pdf.Root.MarkInfo.Marked
                assert str(pdf.Root.Lang)


def test_press_colours_are_cmyk_and_rgb_is_device_independent(example):
    _, folder, _ = example
    with pikepdf.open(folder / "proofs" / "trifold-es.pdf") as pdf:
        operators = [
            (str(op), [str(v) for v in operands])
            for operands, op in pikepdf.parse_content_stream(pdf.pages[0])
        ]
        assert ("cs", ["/DeviceCMYK"]) in operators
        # Text and backgrounds carry no DeviceRGB, so no page needs sRGB for it (pdf_x.py adds
        # DefaultRGB only where RGB is drawn: tests/press/test_press_colour.py).
        assert not [op for op, _ in operators if op in ("rg", "RG")]
        for page in pdf.pages:
            assert "/DefaultRGB" not in page.Resources.get("/ColorSpace", {})


def test_press_fonts_are_embedded(example):
    _, folder, _ = example
    for name in ("01-trifold-es.pdf", "03-card-ht.pdf", "proofs/trifold-en.pdf"):
        with pikepdf.open(folder / name) as pdf:
            fonts = [
                obj
                for obj in pdf.objects
                if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == pikepdf.Name.Font
            ]
            assert fonts
            for font in fonts:
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_without_a_profile_press_does_not_claim_pdf_x(tmp_path: Path):
    project = project_mod.load(REPO)
    press = project.editions["press"]
    missing = press.model_copy(update={"output_profiles": (tmp_path / "none.icc",)})
    assert page.output_profile(missing) is None
    assert not page.claims_pdf_x(missing)
    assert page.pdf_variant(missing) == "pdf/ua-1"
    assert "@color-profile" not in page.edition_css(missing)
    assert editions.pdf_x_note(missing).startswith("Not PDF/X: no CMYK output profile")
    # A file that is not a CMYK printer profile does not count either.
    rgb = tmp_path / "rgb.icc"
    rgb.write_bytes(b"\0" * 12 + b"mntrRGB XYZ " + b"\0" * 100)
    not_cmyk = press.model_copy(update={"output_profiles": (rgb,)})
    assert page.output_profile(not_cmyk) is None


def test_office_edition_has_no_bleed_and_keeps_one_up_leaflets_tagged(office):
    _, _, package = office
    flyer = next(p for p in package.items if p.item.leaflet.name == "flyer")
    card = next(p for p in package.items if p.item.leaflet.name == "card")
    assert flyer.layout.identity and flyer.count.sheets == 30
    with pikepdf.open(package.path / flyer.file) as pdf:
        b = boxes(pdf.pages[0])
        assert b["TrimBox"] == b["MediaBox"] == pytest.approx([0, 0, 8.5, 11])
        assert "/StructTreeRoot" in pdf.Root
        assert "/OutputIntents" not in pdf.Root
    assert (package.path / flyer.file).read_bytes() == (package.path / flyer.proof).read_bytes()
    with pikepdf.open(package.path / card.file) as pdf:
        for page in pdf.pages:
            b = boxes(page)
            assert b["BleedBox"] == pytest.approx(b["TrimBox"])
    assert (card.layout.per_sheet, card.count.sheets, card.count.overage) == (10, 10, 0)


# ---------------------------------------------------------------- size and atomicity


def card_order(root: Path, quantity: int) -> Path:
    path = root / "orders" / f"cards-{quantity}.toml"
    path.write_text(
        (ORDERS / "good.toml")
        .read_text(encoding="utf-8")
        .replace('name = "test-order"', f'name = "cards-{quantity}"')
        .replace("quantity = 100", f"quantity = {quantity}"),
        encoding="utf-8",
    )
    return path


@pytest.mark.pdf
def test_ten_thousand_cards_make_a_sheet_no_bigger_than_a_hundred(project_copy: Path):
    project = project_mod.load(project_copy)
    sizes, sheets = {}, {}
    for quantity in (100, 10_000):
        order = orders.load_order(project, card_order(project_copy, quantity))
        package = printing.write_package(project, order)
        (printed,) = package.items
        sheet = package.path / printed.file
        with pikepdf.open(sheet) as pdf:
            assert len(pdf.pages) == 2  # one sheet, front and back, whatever the quantity
        sizes[quantity] = sheet.stat().st_size
        sheets[quantity] = printed.count.sheets
    assert sheets == {100: 10, 10_000: 1_000}
    # Only the metadata's dates and ids may differ by a few bytes.
    assert abs(sizes[10_000] - sizes[100]) < 64, sizes


@pytest.mark.pdf
def test_a_failure_midway_leaves_no_half_package_and_keeps_the_old_one(
    project_copy: Path, monkeypatch: pytest.MonkeyPatch
):
    project = project_mod.load(project_copy)
    path = card_order(project_copy, 100)
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n[[items]]\nleaflet = "flyer"\nlanguage = "en"\nquantity = 5\n',
        encoding="utf-8",
    )
    order = orders.load_order(project, path)

    def broken(source: bytes, layout, title: str, **stamps) -> bytes:
        if "Flyer" in title:
            raise OSError("disk full")
        return real(source, layout, title, **stamps)

    real = impose.impose_n_up
    monkeypatch.setattr(impose, "impose_n_up", broken)
    with pytest.raises(OSError, match="disk full"):
        printing.write_package(project, order)
    assert not (project_copy / "out").exists()

    monkeypatch.setattr(impose, "impose_n_up", real)
    first = printing.write_package(project, order)
    manifest = (first.path / "manifest.json").read_bytes()
    monkeypatch.setattr(impose, "impose_n_up", broken)
    with pytest.raises(OSError):
        printing.write_package(project, order)
    assert (first.path / "manifest.json").read_bytes() == manifest
    assert [p.name for p in first.path.parent.iterdir()] == [first.path.name]


def test_print_files_pass_qpdf_check(example):
    _, folder, _ = example
    for name in ("01-trifold-es.pdf", "03-card-ht.pdf", "proofs/card-ht.pdf", "ticket.pdf"):
        result = subprocess.run(
            ["qpdf", "--check", str(folder / name)], capture_output=True, text=True
        )
        assert result.returncode == 0, (name, result.stdout, result.stderr)


def test_readme_shows_the_example_command_that_the_fixture_runs():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"leaflets order {EXAMPLE} --allow-unreviewed" in readme
    assert (REPO / EXAMPLE).is_file()


@pytest.mark.pdf
def test_press_without_a_profile_is_built_but_claims_no_pdf_x(project_copy: Path):
    config = project_copy / "leaflets.toml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            '["/usr/share/color/icc/ghostscript/default_cmyk.icc"]', '["/nonexistent/cmyk.icc"]'
        ),
        encoding="utf-8",
    )
    project = project_mod.load(project_copy)
    path = card_order(project_copy, 100)
    path.write_text(
        path.read_text(encoding="utf-8").replace('edition = "office"', 'edition = "press"'),
        encoding="utf-8",
    )
    package = printing.write_package(project, orders.load_order(project, path))
    ticket = json.loads((package.path / "ticket.json").read_text(encoding="utf-8"))
    assert ticket["edition"]["pdf_x"] is False
    assert any(w.startswith("Not PDF/X: no CMYK output profile") for w in ticket["warnings"])
    for name in ("proofs/card-en.pdf", "01-card-en.pdf"):
        with pikepdf.open(package.path / name) as pdf:
            assert "/OutputIntents" not in pdf.Root
            assert "pdfxid:GTS_PDFXVersion" not in pdf.open_metadata()
    with pikepdf.open(package.path / "proofs" / "card-en.pdf") as pdf:
        b = boxes(pdf.pages[0])  # still the press edition: bleed past the trim
        assert b["BleedBox"][0] == pytest.approx(b["TrimBox"][0] - 0.125)


@pytest.mark.pdf
def test_an_edition_that_overflows_a_leaflet_fails_naming_the_item(project_copy: Path):
    css = project_copy / "styles" / "editions" / "office.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.card-back { font-size: 30pt; }\n")
    project = project_mod.load(project_copy)
    path = card_order(project_copy, 100)
    with pytest.raises(FitError) as caught:
        printing.write_package(project, orders.load_order(project, path))
    # Every region is measured, as in any build: the back overflows (and would spill onto a
    # third page).
    assert re.fullmatch(
        r'cards-100\.toml: items\[0\] card \(en\): region "back" overflows by \d+ pt '
        r'\(\d+ lines\); shorten msgid ".*" or run with --fit',
        caught.value.message,
    ), caught.value.message
    assert not (project_copy / "out").exists()


@pytest.mark.pdf
@pytest.mark.parametrize("which", ["example", "office"])
def test_proofs_pass_the_accessibility_audit(request, which):
    """Proofs get the same PDF/UA repairs as `leaflets build` (press edition: PDF/X-4 too)."""
    from leaflets.pdf import audit

    if which == "example":
        project, folder, _ = request.getfixturevalue("example")
    else:
        project, _, package = request.getfixturevalue("office")
        folder = package.path
    proofs = sorted((folder / "proofs").glob("*.pdf"))
    assert proofs
    for proof in proofs:
        leaflet = project.leaflets[proof.stem.rsplit("-", 1)[0]]
        findings = audit.audit_pdf(proof, proof, leaflet.min_font_pt)
        assert [f.format() for f in findings] == []


@pytest.mark.pdf
def test_a_stray_glyph_fails_an_order_as_it_fails_a_build_naming_its_msgid(project_copy: Path):
    # One pipeline for both (pipeline/stages.py): a proof's audit is the build's, word for word.
    po = project_copy / "locales" / "es" / "LC_MESSAGES" / "messages.po"
    po.write_text(
        po.read_text(encoding="utf-8").replace(
            'msgstr "¿Necesita ayuda?"', 'msgstr "¿Necesita ayuda? ب"'
        ),
        encoding="utf-8",
    )
    project = project_mod.load(project_copy)
    with pytest.raises(AuditError) as built:
        build_mod.build(project, build_mod.plan(project, ["es"], ["card"]))
    path = card_order(project_copy, 100)
    path.write_text(
        path.read_text(encoding="utf-8").replace('language = "en"', 'language = "es"'),
        encoding="utf-8",
    )
    with pytest.raises(AuditError) as ordered:
        printing.write_package(project, orders.load_order(project, path, allow_unreviewed=True))
    problem = built.value.message.removeprefix("card (es): ")
    assert '“ب” (U+0628 ARABIC LETTER BEH) in the es text (msgid "Need help?")' in problem
    assert ordered.value.message == f"{path.name}: items[0] card (es): {problem}"


def test_check_of_the_out_folder_audits_proofs_not_print_sheets(example):
    # The README runs `leaflets check --pdf out` after an order: the sheets and the ticket are
    # for the printer and untagged by design; the proofs are the leaflets and must pass.
    project, folder, _ = example
    result = run_cli("--project", str(project.root), "check", "--pdf", str(project.root / "out"))
    assert result.exit_code == 0, result.output
    from leaflets.pdf.leaflet_audit import pdf_paths

    audited = pdf_paths([project.root / "out"])
    assert {p.parent.name for p in audited} == {"proofs"}
    assert len(audited) == len(list((folder / "proofs").glob("*.pdf"))) > 0
