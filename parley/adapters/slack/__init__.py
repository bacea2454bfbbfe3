"""The Slack adapter on slack-bolt (async): slash commands, Block Kit, HTTP and Socket Mode."""
