"""The city the archive belongs to: its name, short name and mark, from the config
(``ARCHIVE_CITY_*``), the same on pages, slides, the report PDF and the offline zip."""
