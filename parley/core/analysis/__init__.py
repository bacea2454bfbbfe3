"""Pure, deterministic text analysis: sentences, and (later) claims, rhetoric and summaries."""
