-- migrate-5.sql - schema version 4 to 5.
--
-- Version 5 keeps the export's update time (更新时间, updated_datetime):
-- when a row and the stored ticket both carry one, the older never
-- replaces the newer (schema.sql).

ALTER TABLE ticket ADD COLUMN updated_at INTEGER;
