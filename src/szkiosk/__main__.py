"""``python -m szkiosk`` runs the command line."""

from szkiosk.cli import main

raise SystemExit(main())
