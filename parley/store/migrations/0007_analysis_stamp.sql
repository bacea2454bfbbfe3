-- A fresh random stamp each time an article's analysis is written, so a running Parley can tell
-- that another process (`parley reanalyze`) replaced the analysis it has cached.
ALTER TABLE articles ADD COLUMN analysis_stamp TEXT NOT NULL DEFAULT '';
