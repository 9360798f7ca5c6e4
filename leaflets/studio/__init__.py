"""The review studio (`leaflets serve`): a local web app where a translator or reviewer sees
their language on the printed page, edits a translation in place, sees the page change, and
approves translations one by one or a page at a time. It sits on top, with tools: it may use
every stage below it, and only cli.py imports it."""
