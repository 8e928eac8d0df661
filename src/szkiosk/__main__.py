"""``python -m szkiosk`` runs the command line."""

from szkiosk.cli import entry

raise SystemExit(entry())
