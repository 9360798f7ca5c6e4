"""The .po and .mo formats, read and written as GNU gettext does: parse.py, write.py, wrap.py,
catalog.py (a catalog file as a whole), compiled.py (a .mo keyed by its source), messages.py."""
