"""`python -m mt_toolkit` runs the command line."""

from mt_toolkit.cli import main

main()
