"""Pure rules of the identity context: no I/O, time passed in as ``now``."""
