"""Config: find the project folder and validate leaflets.toml and contacts.toml, up front, into
the frozen records (model.py, leaflets.py, contacts.py) that every later stage reads. Also the
rule that keeps every project file inside the project (paths.py) and the typefaces (fonts.py)."""
