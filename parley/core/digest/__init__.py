"""Scheduled digests: schedules, composing a digest, and the exactly-once scheduler."""
