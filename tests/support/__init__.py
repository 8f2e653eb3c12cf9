"""What the tests share, by what it makes: ``files`` (generated photos and
papers), ``rows`` (database rows and the seeded ones), ``uploads`` (the upload
form), ``api`` (tokens and JSON errors), ``reports`` (reports built from real
files), ``search`` (what a search finds), ``browser`` (Chromium steps) and
``fixtures`` (the pytest fixtures, registered from ``conftest.py``).

Test modules import from here, never from one another.
"""
