"""What may be done to the evaluation's data, as operations that check and flush:
``plan`` (what a set of rows would change, and why a row is refused), ``records``
(applying a plan, recomputing a period), ``periods`` (periods and their criteria),
``award`` (the top N of a period as a trip's participants)."""
