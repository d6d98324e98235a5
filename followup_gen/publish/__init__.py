"""Stage 4, publishing: the site sealed, redacted or audited before it leaves the machine."""
