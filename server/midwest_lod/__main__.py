"""``python -m midwest_lod`` runs the command-line interface."""

from midwest_lod.cli import main

main()
