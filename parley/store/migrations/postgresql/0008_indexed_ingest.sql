-- PostgreSQL twin of ../0008_indexed_ingest.sql.
CREATE INDEX articles_by_analysis_version ON articles(analysis_version);
