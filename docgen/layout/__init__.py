"""Layout engine: format profile -> Word styles, shared blocks and built-in templates."""
