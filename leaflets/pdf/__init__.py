"""PDF: what WeasyPrint wrote, repaired for PDF/UA-1 (postprocess.py), stamped reproducibly
(reproducible.py) and audited (audit.py, content.py, structure.py, glyphs.py; leaflet_audit.py
holds a leaflet to its language and fonts) before it is written; an edition's PDF/X-4 files
completed (pdf_x.py)."""
