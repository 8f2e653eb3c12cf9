"""Score files in and out: the column names (``columns``), reading and writing CSV
and XLSX (``files``)."""
