"""followup-gen: a personal job-search CRM kept as plain text in git."""

__version__ = "0.2.0"
