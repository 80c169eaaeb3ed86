"""``cirro-console serve``: a backend behind a Cirro v2-compatible HTTP API."""
