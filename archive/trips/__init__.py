"""Study visits (trips) and the camat who took part in each."""
