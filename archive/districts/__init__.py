"""Kecamatan, their camat, and the score records of the city's evaluation (SIP)."""
