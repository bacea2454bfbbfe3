"""Fact checks: the verdict vocabulary, schema.org ClaimReview, and matching checks to claims."""
