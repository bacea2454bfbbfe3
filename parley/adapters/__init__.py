"""Platform adapters: each translates its platform's events into Requests and renders Replies."""
