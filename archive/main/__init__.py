"""Public pages: home, topics, camat, score records, trips, map."""
