"""Place names from GPS, offline: a shipped gazetteer for Seoul and GeoNames for the rest."""
