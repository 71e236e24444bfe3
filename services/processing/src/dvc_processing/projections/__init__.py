"""Read models and queries: the officers' board, timelines, deadline gauges."""
