"""The translator commands: extract and update (update.py), init, status, check, and the
studio's save of one translation (edit.py)."""
