"""`python -m illnet` runs the command line."""

from illnet.cli import main

main()
