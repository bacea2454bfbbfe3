"""Parley: common ground on contentious articles, in Discord, Slack or a console."""

__version__ = "0.2.0"
