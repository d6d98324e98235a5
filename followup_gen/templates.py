"""Kept for CRMs made by earlier versions: their site_templates/README.md names ``default_templates`` here."""

from followup_gen.outputs.templates import default_templates

__all__ = ["default_templates"]
