"""PDF: what WeasyPrint wrote, repaired for PDF/UA-1 (postprocess.py), stamped reproducibly
(reproducible.py) and audited (audit.py, content.py, structure.py) before it is written."""
