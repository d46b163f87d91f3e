-- migrate-6.sql - schema version 5 to 6.
--
-- Version 6 says which sheet of a workbook a reject comes from: its line
-- and col are then the sheet's row and column (schema.sql).

ALTER TABLE reject ADD COLUMN sheet TEXT;
