"""Charts drawn offline and deterministically (Pillow, shipped fonts) as pictures for replies."""
