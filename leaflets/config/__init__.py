"""Config: find the project folder and validate leaflets.toml and contacts.toml, up front, into
frozen data (model.py) that every later stage reads. Also the project's other fixed inputs: which
stylesheets an output links (paths.py) and the packaged typeface (fonts.py)."""
