"""The job ticket claims only what the package holds.

Every fact the ticket shows (templates/print/ticket.html.j2) and every sentence it prints is
checked here against the print files and the proofs themselves, in both editions: the README's
press order (`example`) and an office order (`office`, tests/press/conftest.py). CLAIMS lists
the test that checks each one, and the first test fails when the template shows a fact or a
sentence that nothing checks.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from leaflets.config.model import PAPER_SIZES_IN
from leaflets.i18n import review
from leaflets.layout import page as page_css
from leaflets.press import editions
from leaflets.press.impose import PT
from tests.conftest import REPO
from tests.pdftext import glyph_sizes, page_texts, text
from tests.press.test_impose import line_segments, placements

pytestmark = pytest.mark.pdf  # the fixture writes print packages

TEMPLATE = REPO / "templates" / "print" / "ticket.html.j2"
TOLERANCE_IN = 0.01

# What the ticket shows → the test that checks it.
CLAIMS = {
    "facts.order": "test_order_facts_are_the_order_and_contacts_toml",
    "facts.event.name": "test_order_facts_are_the_order_and_contacts_toml",
    "facts.event.date": "test_order_facts_are_the_order_and_contacts_toml",
    "facts.need_by": "test_order_facts_are_the_order_and_contacts_toml",
    "facts.deliver_to.name": "test_order_facts_are_the_order_and_contacts_toml",
    "facts.deliver_to.address": "test_order_facts_are_the_order_and_contacts_toml",
    "facts.deliver_to.phone": "test_order_facts_are_the_order_and_contacts_toml",
    "facts.requested_by.name": "test_order_facts_are_the_order_and_contacts_toml",
    "facts.requested_by.email": "test_order_facts_are_the_order_and_contacts_toml",
    "facts.requested_by.phone": "test_order_facts_are_the_order_and_contacts_toml",
    "facts.notes": "test_order_facts_are_the_order_and_contacts_toml",
    "facts.paper.stock": "test_order_facts_are_the_order_and_contacts_toml",
    "facts.warnings": "test_order_facts_are_the_order_and_contacts_toml",
    "facts.paper.name": "test_the_paper_is_what_every_item_is_trimmed_to_or_printed_on",
    "facts.paper.size_in": "test_the_paper_is_what_every_item_is_trimmed_to_or_printed_on",
    "facts.edition.title": "test_bleed_and_trim_are_the_boxes_of_the_files",
    "facts.edition.name": "test_bleed_and_trim_are_the_boxes_of_the_files",
    "facts.edition.bleed_in": "test_bleed_and_trim_are_the_boxes_of_the_files",
    "facts.edition.standard": "test_the_standard_claimed_is_the_files_standard",
    "item.number": "test_each_print_file_holds_one_sheet_of_the_size_shown",
    "item.file": "test_each_print_file_holds_one_sheet_of_the_size_shown",
    "item.sheet_in": "test_each_print_file_holds_one_sheet_of_the_size_shown",
    "item.trim_in": "test_trim_panels_folds_and_cover_are_the_files",
    "item.folding": "test_trim_panels_folds_and_cover_are_the_files",
    "item.folding.panels": "test_trim_panels_folds_and_cover_are_the_files",
    "item.folding.folds_in": "test_trim_panels_folds_and_cover_are_the_files",
    "item.folding.cover": "test_trim_panels_folds_and_cover_are_the_files",
    "item.duplex": "test_each_print_file_holds_one_sheet_of_the_size_shown",
    "item.title": "test_each_item_is_its_leaflet_in_its_language",
    "item.language": "test_each_item_is_its_leaflet_in_its_language",
    "item.language_name": "test_each_item_is_its_leaflet_in_its_language",
    "item.per_sheet": "test_copies_per_sheet_and_layout_are_the_placements",
    "item.layout": "test_copies_per_sheet_and_layout_are_the_placements",
    "item.flip": "test_the_back_registers_for_the_flip_edge_shown",
    "item.quantity": "test_sheets_runs_copies_and_overage_add_up",
    "item.sheets": "test_sheets_runs_copies_and_overage_add_up",
    "item.overage": "test_sheets_runs_copies_and_overage_add_up",
    "item.print_runs": "test_sheets_runs_copies_and_overage_add_up",
    "item.copies": "test_sheets_runs_copies_and_overage_add_up",
    "facts.total_sheets": "test_sheets_runs_copies_and_overage_add_up",
    "facts.total_copies": "test_sheets_runs_copies_and_overage_add_up",
    "item.crop_marks": "test_crop_marks_lie_past_the_bleed_on_the_cut_lines_and_only_there",
    "item.tagged": "test_the_standard_claimed_is_the_files_standard",
    "item.finishing": "test_finishing_is_what_the_sheet_needs",
    "item.reviewed": "test_draft_translations_are_named_and_their_leaflets_say_so",
    "facts.unreviewed_languages": "test_draft_translations_are_named_and_their_leaflets_say_so",
    "lang.name": "test_draft_translations_are_named_and_their_leaflets_say_so",
    "lang.code": "test_draft_translations_are_named_and_their_leaflets_say_so",
}
# Sentences the template prints whatever the facts → the test that checks each.
SENTENCES = {
    "Sheets are whole": "test_sheets_runs_copies_and_overage_add_up",
    "Each print file holds one sheet": "test_each_print_file_holds_one_sheet_of_the_size_shown",
    "do not repeat pages": "test_each_print_file_holds_one_sheet_of_the_size_shown",
    "The proofs carry no crop marks": "test_proofs_have_no_crop_marks_and_the_boxes_mark_the_cut",
    "crop marks past the bleed on the cut lines": (
        "test_crop_marks_lie_past_the_bleed_on_the_cut_lines_and_only_there"
    ),
    "the file is the tagged proof itself": "test_the_standard_claimed_is_the_files_standard",
    "not tagged (the proof is)": "test_the_standard_claimed_is_the_files_standard",
    "not been reviewed by a native speaker": (
        "test_draft_translations_are_named_and_their_leaflets_say_so"
    ),
    'the leaflets carry a "draft translation" note': (
        "test_draft_translations_are_named_and_their_leaflets_say_so"
    ),
    "--allow-unreviewed": "test_draft_translations_are_named_and_their_leaflets_say_so",
    "Print sheets:": "test_the_paper_is_what_every_item_is_trimmed_to_or_printed_on",
    "cut from them to the trim sizes": "test_the_paper_is_what_every_item_is_trimmed_to_or_printed_on",
    "Flat: no folds.": "test_trim_panels_folds_and_cover_are_the_files",
    "from the left trim": "test_trim_panels_folds_and_cover_are_the_files",
    'content: "Page "': "test_ticket_type_is_nine_points_or_more_and_pages_are_numbered",
}


@pytest.fixture(scope="module", params=["example", "office"])
def package(request):
    """(project, package folder, ticket facts) for the press order and the office order."""
    if request.param == "example":
        return request.getfixturevalue("example")
    project, _, built = request.getfixturevalue("office")
    import json

    ticket = json.loads((built.path / "ticket.json").read_text(encoding="utf-8"))
    return project, built.path, ticket


def boxes(page: pikepdf.Page) -> dict[str, list[float]]:
    return {
        name: [float(v) / PT for v in page.obj.get(f"/{name}", page.MediaBox)]
        for name in ("MediaBox", "BleedBox", "TrimBox")
    }


def test_every_fact_and_sentence_on_the_ticket_has_a_test():
    source = re.sub(r"\{#.*?#\}", "", TEMPLATE.read_text(encoding="utf-8"), flags=re.S)
    shown = set(re.findall(r"\b((?:facts|item|lang)(?:\.\w+)+)", source))
    shown |= {f"facts.{key}" for key in re.findall(r'facts\["(\w+)"\]', source)} - {"facts.items"}
    assert shown <= set(CLAIMS), sorted(shown - set(CLAIMS))
    for sentence in SENTENCES:
        assert sentence in source, sentence
    tests = {name for name in globals() if name.startswith("test_")}
    assert set(CLAIMS.values()) | set(SENTENCES.values()) <= tests


def test_order_facts_are_the_order_and_contacts_toml(package):
    project, folder, ticket = package
    office = project.contacts.office(ticket["deliver_to"]["office"])
    assert ticket["deliver_to"] == {
        "office": office.id,
        "name": office.name,
        "address": f"{office.street}, {office.city}, {office.region} {office.postal_code}",
        "phone": office.phone.display,
    }
    shown = text(folder / "ticket.pdf")
    for value in (
        ticket["order"],
        ticket["event"]["name"],
        ticket["event"]["date"],
        ticket["need_by"],
        office.name,
        office.street,
        office.phone.display,
        ticket["requested_by"]["name"],
        *(w for w in ticket["warnings"]),
    ):
        assert value in shown, value
    for optional in (ticket["notes"], ticket["paper"]["stock"], ticket["requested_by"]["phone"]):
        if optional:
            assert optional in shown


def test_the_paper_is_what_every_item_is_trimmed_to_or_printed_on(package):
    """The paper line names the sheets each print file is, and no other size: the leaflets'
    own paper (US Letter) is a trim size here, not the sheet a tri-fold prints on."""
    _, folder, ticket = package
    paper = ticket["paper"]
    assert paper["size_in"] == pytest.approx(PAPER_SIZES_IN[paper["size"]])
    size = sorted(paper["size_in"])
    for item in ticket["items"]:
        trimmed, sheet = sorted(item["trim_in"]), sorted(item["sheet_in"])
        assert trimmed == pytest.approx(size) or sheet == pytest.approx(size), item["file"]
    shown = text(folder / "ticket.pdf")
    line = shown[shown.index("Print sheets:") : shown.index("The leaflets are cut from them")]
    listed = re.findall(r"([\d.]+) × ([\d.]+) in \(item (\d+)\)", line)
    assert {int(n): [float(w), float(h)] for w, h, n in listed} == {
        item["number"]: item["sheet_in"] for item in ticket["items"]
    }
    assert "The leaflets are cut from them to the trim sizes below." in shown


def test_trim_panels_folds_and_cover_are_the_files(package):
    """Each item's trim is its print file's TrimBox; a tri-fold's panels add up to the trim
    width, the folds lie between them, no character of the outside straddles a fold, and the
    hotline number, which the cover carries, is on the panel called the cover."""
    project, folder, ticket = package
    shown = text(folder / "ticket.pdf")
    for item in ticket["items"]:
        with pikepdf.open(folder / item["proof"]) as proof:
            trim = boxes(proof.pages[0])["TrimBox"]
        assert [trim[2] - trim[0], trim[3] - trim[1]] == pytest.approx(item["trim_in"], abs=1e-3)
        folding = item["folding"]
        if item["leaflet"] != "trifold":
            assert folding is None
            continue
        widths = [p["width_in"] for p in folding["panels"]]
        assert sum(widths) == pytest.approx(item["trim_in"][0], abs=1e-3)
        assert folding["folds_in"] == pytest.approx([widths[0], widths[0] + widths[1]])
        names = [p["name"] for p in folding["panels"]]
        cover = names.index("cover")
        assert folding["cover"] == ("left" if cover == 0 else "right") and cover in (0, 2)
        edges = [0.0, *folding["folds_in"], item["trim_in"][0]]
        described = " | ".join(f"{n} {w:g} in" for n, w in zip(names, widths, strict=True))
        assert described in shown
        document = pypdfium2.PdfDocument(folder / item["proof"])
        try:
            textpage = document[0].get_textpage()
            for index in range(textpage.count_chars()):
                if textpage.get_text_range(index, 1).isspace():
                    continue
                left, _, right, _ = (v / PT for v in textpage.get_charbox(index))
                left, right = left - trim[0], right - trim[0]
                assert any(
                    a - 1e-3 <= left and right <= b + 1e-3
                    for a, b in zip(edges, edges[1:], strict=False)
                )
            found = textpage.search(project.contacts.hotline.phone.display).get_next()
            x = textpage.get_charbox(found[0])[0] / PT - trim[0]
            assert edges[cover] <= x <= edges[cover + 1]
        finally:
            document.close()


def test_ticket_type_is_nine_points_or_more_and_pages_are_numbered(package):
    _, folder, _ = package
    sizes = {size for _, char, size in glyph_sizes(folder / "ticket.pdf")}
    assert min(sizes) >= 9 - 0.01
    pages = page_texts(folder / "ticket.pdf")
    assert [f"Page {n} of {len(pages)}" in page for n, page in enumerate(pages, 1)] == [True] * len(
        pages
    )


def test_each_item_is_its_leaflet_in_its_language(package):
    project, folder, ticket = package
    for item in ticket["items"]:
        leaflet, language = project.leaflets[item["leaflet"]], project.languages[item["language"]]
        assert (item["title"], item["language_name"]) == (leaflet.title, language.name)
        with pikepdf.open(folder / item["proof"]) as proof:
            assert str(proof.Root.Lang) == language.bcp47
        assert item["file"] == f"{item['number']:02d}-{item['leaflet']}-{item['language']}.pdf"


def test_each_print_file_holds_one_sheet_of_the_size_shown(package):
    _, folder, ticket = package
    for item in ticket["items"]:
        with pikepdf.open(folder / item["file"]) as pdf:
            # One sheet: a front, and a back when duplex; never a page per copy.
            assert len(pdf.pages) == (2 if item["duplex"] else 1) == item["pages"]
            for sheet_page in pdf.pages:
                media = boxes(sheet_page)["MediaBox"]
                assert [media[2] - media[0], media[3] - media[1]] == pytest.approx(
                    item["sheet_in"], abs=TOLERANCE_IN
                )


def test_copies_per_sheet_and_layout_are_the_placements(package):
    _, folder, ticket = package
    for item in ticket["items"]:
        columns, rows = (int(n) for n in item["layout"].split(" × "))
        assert columns * rows == item["per_sheet"]
        with pikepdf.open(folder / item["file"]) as pdf:
            for sheet_page in pdf.pages:
                found = placements(sheet_page)
                if item["tagged"]:  # the proof itself: nothing placed, one copy
                    assert found == [] and item["per_sheet"] == 1
                    continue
                assert len(found) == item["per_sheet"]
                assert len({round(x) for x, _, _ in found}) == columns
                assert len({round(y) for _, y, _ in found}) == rows


def test_the_back_registers_for_the_flip_edge_shown(package):
    _, folder, ticket = package
    for item in ticket["items"]:
        if not item["duplex"]:
            assert item["flip"] is None
            continue
        width, height = item["sheet_in"]
        # A duplex printer turns a portrait sheet on its long edge, a landscape one on its short
        # edge: either way the back is the front mirrored left to right.
        assert item["flip"] == ("short" if width > height else "long")
        if item["tagged"]:
            continue
        with pikepdf.open(folder / item["file"]) as pdf:
            # A placement moves the proof's trim corner, which is the bleed in from its origin.
            o = ticket["edition"]["bleed_in"] * PT
            front, back = (sorted((x + o, y + o) for x, y, _ in placements(p)) for p in pdf.pages)
            trim_w = item["trim_in"][0] * PT
            mirrored = sorted((width * PT - x - trim_w, y) for x, y in front)
            flat = [v for point in back for v in point]
            assert flat == pytest.approx([v for p in mirrored for v in p], abs=TOLERANCE_IN * PT)


def test_sheets_runs_copies_and_overage_add_up(package):
    _, folder, ticket = package
    for item in ticket["items"]:
        runs = math.ceil(item["quantity"] / item["per_sheet"])
        assert item["print_runs"] == runs
        assert item["copies"] == runs * item["per_sheet"] >= item["quantity"]
        assert item["overage"] == item["copies"] - item["quantity"] < item["per_sheet"]
        # A duplex sheet is one sheet of paper, both sides printed.
        assert item["sheets"] == runs * math.ceil(item["pages"] / 2 if item["duplex"] else 1)
    assert ticket["total_sheets"] == sum(i["sheets"] for i in ticket["items"])
    assert ticket["total_copies"] == sum(i["quantity"] for i in ticket["items"])
    shown = text(folder / "ticket.pdf")
    assert f"{ticket['total_sheets']:,} sheets for {ticket['total_copies']:,} copies" in shown


def test_bleed_and_trim_are_the_boxes_of_the_files(package):
    project, folder, ticket = package
    edition = project.editions[ticket["edition"]["name"]]
    assert (ticket["edition"]["title"], ticket["edition"]["bleed_in"]) == (
        edition.title,
        edition.bleed_in,
    )
    for item in ticket["items"]:
        assert item["bleed_in"] == edition.bleed_in
        columns, rows = (int(n) for n in item["layout"].split(" × "))
        for name in (item["file"], item["proof"]):
            with pikepdf.open(folder / name) as pdf:
                for sheet_page in pdf.pages:
                    b = boxes(sheet_page)
                    trim, bleed = b["TrimBox"], b["BleedBox"]
                    copies = (columns, rows) if name == item["file"] else (1, 1)
                    assert trim[2] - trim[0] == pytest.approx(copies[0] * item["trim_in"][0])
                    assert trim[3] - trim[1] == pytest.approx(copies[1] * item["trim_in"][1])
                    assert [bleed[0], bleed[1]] == pytest.approx(
                        [trim[0] - edition.bleed_in, trim[1] - edition.bleed_in],
                        abs=TOLERANCE_IN,
                    )
                    assert [bleed[2], bleed[3]] == pytest.approx(
                        [trim[2] + edition.bleed_in, trim[3] + edition.bleed_in],
                        abs=TOLERANCE_IN,
                    )
    expected = f"{edition.bleed_in} in bleed" if edition.bleed_in else "no bleed"
    assert expected in text(folder / "ticket.pdf")


def test_crop_marks_lie_past_the_bleed_on_the_cut_lines_and_only_there(package):
    _, folder, ticket = package
    for item in ticket["items"]:
        with pikepdf.open(folder / item["file"]) as pdf:
            for sheet_page in pdf.pages:
                segments = line_segments(sheet_page) if not item["tagged"] else []
                if not item["crop_marks"]:
                    assert segments == [], item["file"]
                    continue
                b = boxes(sheet_page)
                trim, bleed = b["TrimBox"], b["BleedBox"]
                assert segments
                xs = [trim[0] + i * item["trim_in"][0] for i in range(20)]
                ys = [trim[1] + i * item["trim_in"][1] for i in range(20)]
                for x0, y0, x1, y1 in segments:
                    if x0 == pytest.approx(x1):  # vertical: on a cut, above or below the bleed
                        assert any(x0 == pytest.approx(x, abs=1e-3) for x in xs)
                        assert min(y0, y1) >= bleed[3] or max(y0, y1) <= bleed[1]
                    else:
                        assert any(y0 == pytest.approx(y, abs=1e-3) for y in ys)
                        assert min(x0, x1) >= bleed[2] or max(x0, x1) <= bleed[0]
    shown = text(folder / "ticket.pdf")
    marked = any(item["crop_marks"] for item in ticket["items"])
    assert ("crop marks past the bleed on the cut lines" in shown) == marked


def _corner_is_paper(image, box: tuple[int, int, int, int]) -> bool:
    return image.crop(box).getextrema() == ((255, 255), (255, 255), (255, 255))


def test_proofs_have_no_crop_marks_and_the_boxes_mark_the_cut(example):
    # WeasyPrint's own `marks: crop` would draw in the bleed, at the corners, where the print
    # sheet's backgrounds run and its own marks already are. The proofs' corners stay paper.
    project, folder, ticket = example
    bleed = project.editions["press"].bleed_in
    assert bleed > 0
    assert "marks" not in page_css.edition_css(project.editions["press"])
    for item in ticket["items"]:
        document = pypdfium2.PdfDocument(folder / item["proof"])
        try:
            for number in range(len(document)):
                # 4 px to the point: a crop mark is a hairline on the trim line's extension.
                image = document[number].render(scale=4).to_pil().convert("RGB")
                width, height = image.size
                edge = round((bleed * PT + 1) * 4)  # the bleed, and a point past the trim
                corners = [(0, 0, edge, edge), (0, height - edge, edge, height)]
                # The tri-fold's cover band runs into the bleed on the right of page 1.
                if not (item["leaflet"] == "trifold" and number == 0):
                    corners += [
                        (width - edge, 0, width, edge),
                        (width - edge, height - edge, width, height),
                    ]
                for corner in corners:
                    assert _corner_is_paper(image, corner), (item["proof"], number, corner)
        finally:
            document.close()
    assert "The proofs carry no crop marks" in text(folder / "ticket.pdf")


def test_the_standard_claimed_is_the_files_standard(package):
    project, folder, ticket = package
    edition = project.editions[ticket["edition"]["name"]]
    assert ticket["edition"]["standard"] == editions.pdf_x_note(edition)
    claims_x = ticket["edition"]["pdf_x"]
    assert claims_x == page_css.claims_pdf_x(edition)
    shown = text(folder / "ticket.pdf")
    assert " ".join(ticket["edition"]["standard"].split()) in shown
    for item in ticket["items"]:
        for name in (item["file"], item["proof"]):
            with pikepdf.open(folder / name) as pdf:
                meta = pdf.open_metadata()
                intents = list(pdf.Root.get("/OutputIntents", []))
                if claims_x:
                    (intent,) = intents
                    assert str(intent.S) == "/GTS_PDFX"
                    assert str(intent.Info) == ticket["edition"]["output_intent"]
                    assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
                else:
                    assert intents == [] and "pdfxid:GTS_PDFXVersion" not in meta
                tagged = "/StructTreeRoot" in pdf.Root
                if name == item["proof"] or item["tagged"]:
                    # The accessible file: tagged, marked, identified as PDF/UA-1.
                    assert tagged and pdf.Root.MarkInfo.Marked and meta["pdfuaid:part"] == "1"
                else:
                    # A print sheet claims nothing it is not.
                    assert not tagged and "/MarkInfo" not in pdf.Root
                    assert "pdfuaid:part" not in meta
        if item["tagged"]:
            assert (folder / item["file"]).read_bytes() == (folder / item["proof"]).read_bytes()
    if claims_x:
        assert "PDF/X-4" in shown and "they are not tagged" in shown


def test_finishing_is_what_the_sheet_needs(package):
    project, folder, ticket = package
    for item in ticket["items"]:
        finishing = item["finishing"]
        w, h = item["trim_in"]
        if item["per_sheet"] > 1:
            columns, rows = item["layout"].split(" × ")
            assert finishing.startswith(f"Cut {columns} × {rows} at the crop marks")
            assert f"{item['per_sheet']} per sheet, {w:g} × {h:g} in each" in finishing
            # Single cuts, no gutters: the copies touch.
            with pikepdf.open(folder / item["file"]) as pdf:
                xs = sorted({round(x / PT, 3) for x, _, _ in placements(pdf.pages[0])})
                ys = sorted({round(y / PT, 3) for _, y, _ in placements(pdf.pages[0])})
            assert [b - a for a, b in zip(xs, xs[1:], strict=False)] == pytest.approx(
                [w] * (len(xs) - 1), abs=1e-3
            )
            assert [b - a for a, b in zip(ys, ys[1:], strict=False)] == pytest.approx(
                [h] * (len(ys) - 1), abs=1e-3
            )
        elif item["crop_marks"]:
            assert finishing.startswith(f"Trim to {w:g} × {h:g} in at the crop marks")
        if item["leaflet"] == "trifold":
            assert "letter fold (tri-fold), cover panel out" in finishing
            # The cover, which carries the hotline, is the right-hand panel of the outside.
            hotline = project.contacts.hotline.phone.display
            document = pypdfium2.PdfDocument(folder / item["proof"])
            try:
                first = document[0]
                textpage = first.get_textpage()
                found = textpage.search(hotline)
                start = found.get_next()
                assert start is not None
                assert textpage.get_charbox(start[0])[0] > first.get_width() * 2 / 3
            finally:
                document.close()
        # A line may break after a hyphen ("tri-" / "fold"); pdfium reads it as U+FFFE.
        shown = text(folder / "ticket.pdf").replace("\ufffe", "-").replace("- ", "-")
        assert finishing in shown


def test_draft_translations_are_named_and_their_leaflets_say_so(package):
    project, folder, ticket = package
    drafts = sorted({i["language"] for i in ticket["items"] if not i["reviewed"]})
    assert [lang["code"] for lang in ticket["unreviewed_languages"]] == drafts
    # pdfium reads a hyphen at the end of a line as U+FFFE.
    shown = text(folder / "ticket.pdf").replace("\ufffe", "-")
    for item in ticket["items"]:
        reviewed = review.is_reviewed(project, item["language"])
        assert item["reviewed"] == reviewed
        proof_text = text(folder / item["proof"])
        assert ("Draft translation — pending review" in proof_text) == (not reviewed)
    for lang in ticket["unreviewed_languages"]:
        assert f"{lang['name']} ({lang['code']})" in shown
    if drafts:
        assert "not been reviewed by a native speaker" in shown
        assert ticket["allow_unreviewed"] and "--allow-unreviewed" in shown
        assert 'the leaflets carry a "draft translation" note' in shown


def test_ticket_pdf_is_for_the_printer_in_english(example):
    _, folder, _ = example
    with pikepdf.open(folder / "ticket.pdf") as pdf:
        assert str(pdf.Root.Lang) == "en"
    assert Path(folder / "ticket.json").is_file()
