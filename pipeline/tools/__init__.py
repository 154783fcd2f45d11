"""Tools around the build: the benchmark and the typesetter of the PDF test fixtures."""
