"""Finding the claims and sentences that answer a member's question."""
