"""Stage 3, outputs: the report, the calendar feed, the letters and the rule book."""
