"""The build's stages, in the order data flows through them: extract, parse, tabulate, classify, validate, publish."""
