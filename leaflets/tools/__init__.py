"""Tools: previews of the built PDFs (preview.py) and a check of the machine (doctor.py)."""
