"""`python -m mt_toolkit.cli` runs the command line."""

from mt_toolkit.cli import main

main()
