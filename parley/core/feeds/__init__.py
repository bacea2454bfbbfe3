"""Feeds: RSS and Atom polled on a schedule, each new item fetched and ingested once."""
