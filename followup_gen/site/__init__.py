"""Stage 3, the site: generated MkDocs pages, their templates and the MkDocs plugin."""
