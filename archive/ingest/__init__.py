"""The upload pipeline: from a received file to a stored, described, thumbnailed entry.

One module per step, in the order a file goes through them:
``storage`` (stream to disk while hashing, under a generated name),
``sniff`` (the type from the content), ``images`` (decode and check photos),
``exif`` (camera metadata), ``thumbnails`` (upright re-encoded JPEGs),
``pdf`` (papers: pages and text), and ``pipeline`` (``ingest_batch``, which
runs the steps per file and answers added / duplicate / failed).
"""
