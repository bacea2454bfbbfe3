-- What the analysis engine stores for each article: its kind and heat, per-sentence heat and
-- opinion, claim types, loaded terms, the opposing views it mentions, and its summaries.

ALTER TABLE articles ADD COLUMN kind TEXT NOT NULL DEFAULT 'news';
ALTER TABLE articles ADD COLUMN heat REAL NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN analysis_version INTEGER NOT NULL DEFAULT 0;

ALTER TABLE sentences ADD COLUMN heat REAL NOT NULL DEFAULT 0;
ALTER TABLE sentences ADD COLUMN opinion REAL NOT NULL DEFAULT 0;
ALTER TABLE sentences ADD COLUMN position INTEGER NOT NULL DEFAULT 0;

ALTER TABLE claims ADD COLUMN types TEXT NOT NULL DEFAULT '[]';
ALTER TABLE claims ADD COLUMN checkworthiness REAL NOT NULL DEFAULT 0;

CREATE TABLE rhetoric_marks (
    id           INTEGER PRIMARY KEY,
    article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence_id  TEXT NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    category     TEXT NOT NULL,
    term         TEXT NOT NULL,
    start        INTEGER NOT NULL,
    end          INTEGER NOT NULL,
    text         TEXT NOT NULL
);
CREATE INDEX rhetoric_by_article ON rhetoric_marks(article_id);

CREATE TABLE opposing_views (
    id           INTEGER PRIMARY KEY,
    article_id   TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence_id  TEXT NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    holder       TEXT NOT NULL,
    stance       TEXT NOT NULL,
    view         TEXT NOT NULL,
    statement    TEXT NOT NULL,
    framed       INTEGER NOT NULL
);
CREATE INDEX opposing_by_article ON opposing_views(article_id);

CREATE TABLE summaries (
    article_id  TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    body        TEXT NOT NULL
);
