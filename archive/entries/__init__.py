"""A camat's entries: upload, edit, publish, delete, and the entry's files."""
