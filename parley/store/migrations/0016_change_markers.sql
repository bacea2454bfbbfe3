-- A generation counter per table whose rows hot reads keep in memory (/fact's check statuses
-- and the knowledge base): bumped in the same transaction as every change to the table, by
-- triggers, so every process (and the ON DELETE SET NULL of a re-analysed claim) moves it; a
-- reader that finds it unchanged knows its remembered rows are current (parley/store/fresh.py).
CREATE TABLE change_markers (
    name       TEXT PRIMARY KEY,
    generation INTEGER NOT NULL
);
INSERT INTO change_markers (name, generation) VALUES ('fact_checks', 0);
CREATE TRIGGER fact_checks_marked_ai AFTER INSERT ON fact_checks BEGIN
    UPDATE change_markers SET generation = generation + 1 WHERE name = 'fact_checks';
END;
CREATE TRIGGER fact_checks_marked_au AFTER UPDATE ON fact_checks BEGIN
    UPDATE change_markers SET generation = generation + 1 WHERE name = 'fact_checks';
END;
CREATE TRIGGER fact_checks_marked_ad AFTER DELETE ON fact_checks BEGIN
    UPDATE change_markers SET generation = generation + 1 WHERE name = 'fact_checks';
END;
