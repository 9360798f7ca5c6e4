"""leaflets: accessible, multilingual print leaflets from gettext catalogs."""

__version__ = "0.1.0"
