"""Read models intake keeps: the catalog's published versions as intake's domain rules."""
