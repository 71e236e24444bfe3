"""Read models identity keeps: the replica of the population registry."""
