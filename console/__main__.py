"""``python -m console`` runs the same entry point as ``cirro-console``."""

from console.cli.main import main

raise SystemExit(main())
