"""The wave simulation: a synthetic workforce, the event-driven engine and its TinyDB store."""
