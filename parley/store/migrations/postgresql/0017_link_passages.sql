-- PostgreSQL twin of ../0017_link_passages.sql.
ALTER TABLE coverage_links ADD COLUMN point TEXT;
ALTER TABLE coverage_links ADD COLUMN passage TEXT;
ALTER TABLE coverage_links ADD COLUMN passage_score DOUBLE PRECISION;
ALTER TABLE coverage_links ADD COLUMN stance TEXT;
