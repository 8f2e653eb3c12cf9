"""Admin pages for the city's government section (role "admin")."""
