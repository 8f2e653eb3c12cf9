"""Resumable uploads (tus 1.0): partial files that become entries through the ingest pipeline."""
