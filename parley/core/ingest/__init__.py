"""Turning text, Markdown, HTML and web pages into articles: parse, segment, store."""
