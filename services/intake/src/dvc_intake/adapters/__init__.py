"""What intake reaches outside its store: the population registry (through identity) and file storage."""
