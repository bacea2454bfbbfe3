-- Per link, the linked article's passage nearest one of this article's main points, that
-- point, its score and stance (chosen at ingestion, parley/core/coverage/index.py): the
-- broader-topic section of /counterpoint quotes it, or, when it is NULL, says the linked
-- article is on the topic but not on this point. No foreign key: a link is rewritten whenever
-- either article is matched again, and a reader joins the sentences with LEFT JOIN.
ALTER TABLE coverage_links ADD COLUMN point TEXT;
ALTER TABLE coverage_links ADD COLUMN passage TEXT;
ALTER TABLE coverage_links ADD COLUMN passage_score REAL;
ALTER TABLE coverage_links ADD COLUMN stance TEXT;
