"""`python -m cli`: the same as the `leaflets` command."""

from . import main

main()
