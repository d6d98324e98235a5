"""Records in and out: new files, imports, vCard and LinkedIn, and new CRMs (init)."""
