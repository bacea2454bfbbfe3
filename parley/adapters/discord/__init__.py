"""The Discord adapter on discord.py: app commands from the registry, embeds, buttons."""
