"""Output formats. Each writer registers through ``gkcheck_register_writers``."""
