"""Digital trip reports: a camat's report, its sections and recommendation cards."""
