"""What the admin pages do, as operations that check and flush (the transaction
boundary commits): ``users`` (accounts, roles, API tokens, the dashboard's
counts), ``reference`` (kecamatan, camat, trips, topics, score records) and
``checks`` (the look-ups both share)."""
