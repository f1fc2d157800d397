"""`python -m twinkit.cli`: the same as the `twinkit` command."""

from twinkit.cli import main

main()
