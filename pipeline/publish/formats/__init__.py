"""One module per output format, each with `write(tables, folder) -> list[resource]`."""
