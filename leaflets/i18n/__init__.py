"""i18n: gettext catalogs. What a build loads (translations.py), the .po format (pofile.py), the
translator commands (workflow.py, languages.py, status.py, checks.py), placeholders and the
characters a translation may not carry, the pseudo-locale, and per-language formatting."""
