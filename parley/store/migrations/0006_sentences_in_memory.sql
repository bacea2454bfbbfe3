-- /fact now finds an article's sentences in a per-article index held in memory (built once from
-- the sentences table), so its cost follows the article's size rather than the store's. The
-- full-text index over every sentence of every article is no longer read: drop it and its
-- triggers, which also makes ingestion cheaper. The fact-check indexes stay.
DROP TRIGGER IF EXISTS sentences_ai;
DROP TRIGGER IF EXISTS sentences_ad;
DROP TABLE IF EXISTS sentences_fts;
-- The claims' full-text index was never read either.
DROP TRIGGER IF EXISTS claims_ai;
DROP TRIGGER IF EXISTS claims_ad;
DROP TRIGGER IF EXISTS claims_au;
DROP TABLE IF EXISTS claims_fts;
