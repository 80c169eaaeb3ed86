"""The wave monitor's logic without Textual: charts and gauges as text, the polling schedule,
snapshots and the events derived from them, recording and replay."""
