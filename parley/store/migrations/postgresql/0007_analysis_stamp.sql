-- PostgreSQL twin of ../0007_analysis_stamp.sql.
ALTER TABLE articles ADD COLUMN analysis_stamp TEXT NOT NULL DEFAULT '';
