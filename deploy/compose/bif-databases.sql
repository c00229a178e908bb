-- BIF's PostgreSQL holds one database per BIF service: registry (made by
-- POSTGRES_DB) and matching.
CREATE DATABASE matching OWNER ips;
