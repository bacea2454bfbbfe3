-- The start-up check for articles analysed by an older Parley reads an index, not every
-- article: only the stale ones (usually none) are visited.
CREATE INDEX articles_by_analysis_version ON articles(analysis_version);
