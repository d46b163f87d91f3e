-- pg/citus.sql - the Citus layout of a hotline database: run on the
-- coordinator after pg/schema.sql (which hotline runs itself on a new
-- database), before the first ingest.  docs/postgresql.md says why each
-- table is placed so.  Not tested against a Citus cluster (Citus is not a
-- Debian package): the tests run pg/schema.sql alone, on PostgreSQL 15.

-- Small, read by every query, written once per file: on every node.
SELECT create_reference_table('hotline_meta');
SELECT create_reference_table('dict');
SELECT create_reference_table('ingest_run');
SELECT create_reference_table('sat_day');
SELECT create_reference_table('hand_day');

-- The tickets, by ticket ID: the upsert's key (a unique constraint must
-- hold the distribution column), and an even spread whatever the
-- districts' sizes.
SELECT create_distributed_table('ticket', 'ticket_id');

-- The rejects of a run together, beside nothing else.
SELECT create_distributed_table('reject', 'run');
