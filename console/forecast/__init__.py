"""Forecasts of a gig's fill from a response model fitted to what workers did (no Textual)."""
