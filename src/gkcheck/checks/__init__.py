"""Built-in checks. Each module registers through the same hooks a third-party plugin uses."""
