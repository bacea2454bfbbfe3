-- PostgreSQL twin of ../0016_change_markers.sql: one statement-level trigger (a bulk import
-- bumps the counter once per statement, not once per row).
CREATE TABLE change_markers (
    name       TEXT PRIMARY KEY,
    generation BIGINT NOT NULL
);
INSERT INTO change_markers (name, generation) VALUES ('fact_checks', 0);
CREATE FUNCTION fact_checks_marked() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_markers SET generation = generation + 1 WHERE name = 'fact_checks';
    RETURN NULL;
END;
$$;
CREATE TRIGGER fact_checks_marked AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON fact_checks
    FOR EACH STATEMENT EXECUTE FUNCTION fact_checks_marked();
