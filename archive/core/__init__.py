"""What every feature shares: the refusal type, the transaction boundary, row
look-ups by id, safe redirects and the labels that models and pages both show.

Nothing here imports a feature package, so every feature may import it.
"""
