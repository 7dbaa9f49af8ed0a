"""Clinical and help content kept as data, separate from code that shows it."""
