"""Layout: a leaflet in a language becomes HTML (render.py, page.py), is laid out by WeasyPrint
(typeset.py), and every fixed region is measured (measure.py) and made to fit (fit.py)."""
