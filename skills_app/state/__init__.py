"""Reflex State classes: thin, they call core/ and hold only what pages show."""
