"""Kept for CRMs made by earlier versions: their workflow imports ``load_settings`` from here."""

from followup_gen.load.settings import Settings, load_settings

__all__ = ["Settings", "load_settings"]
