"""Other coverage: articles from other outlets on the same point, their leanings, blindspots."""
