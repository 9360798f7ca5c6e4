"""Every translation check, as findings: one message (message.py, text.py, placeholders.py),
one catalog (catalog.py, glossary.py, plurals.py), the project (project.py)."""
