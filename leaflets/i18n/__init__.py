"""i18n: gettext catalogs, in four rooms, each importing only those before it: po/ (the .po and
.mo formats), checks/ (every translation check), this package itself (what a build loads:
translations, fallbacks, the pseudo-locale, per-language formatting, review state) and
commands/ (the translator commands)."""
