"""Input and output: reading and validating spec files, the built-in examples, atomic file writes."""
