#include "services/common/common_schema.h"

namespace ips {

std::vector<Migration> CommonMigrations() {
  return {
      {1,
       "runtime tables",
       {
           "CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
           "INSERT INTO counters (name, value) VALUES ('outbox', 0)",
           "INSERT INTO counters (name, value) VALUES ('audit', 0)",
           // payload is the serialized Any, base64: portable across both
           // databases (SOCI maps PostgreSQL blobs to large objects).
           "CREATE TABLE outbox (sequence BIGINT PRIMARY KEY, event_id TEXT NOT NULL, "
           "type TEXT NOT NULL, subject_pseudonym TEXT NOT NULL, create_micros BIGINT NOT NULL, "
           "payload TEXT NOT NULL)",
           "CREATE TABLE audit_log (sequence BIGINT PRIMARY KEY, create_micros BIGINT NOT NULL, "
           "subject TEXT NOT NULL, agency TEXT NOT NULL, service TEXT NOT NULL, "
           "method TEXT NOT NULL, resource TEXT NOT NULL, citizen_id TEXT NOT NULL, "
           "outcome TEXT NOT NULL, note TEXT NOT NULL, previous_hash TEXT NOT NULL, "
           "hash TEXT NOT NULL)",
           "CREATE INDEX audit_log_citizen ON audit_log (citizen_id)",
           // The audit log is append-only at the database level too.
           "sqlite:CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
           "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
           "sqlite:CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
           "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
           "postgres:CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql "
           "AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
           "postgres:CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log "
           "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
           "CREATE TABLE idempotency (request_id TEXT PRIMARY KEY, method TEXT NOT NULL, "
           "resource_name TEXT NOT NULL, create_micros BIGINT NOT NULL)",
       }},
      {2,
       "erasures",
       {
           // One row per citizen whose personal data this service erased
           // (subject_erasure.h): writes about them are refused from then on.
           "CREATE TABLE erasures (citizen_id TEXT PRIMARY KEY, erase_micros BIGINT NOT NULL, "
           "reason INTEGER NOT NULL, row_count INTEGER NOT NULL)",
       }},
      {3,
       "request ids owned by their caller",
       {
           // Request ids were global: a caller who sent another caller's id
           // got back the first caller's resource. They now belong to the
           // caller and are bound to the request's fingerprint
           // (idempotency.h), in a table of their own; the old one has no
           // owner, is no longer read, and stays for pods of the version
           // before during a rolling upgrade (a retry that spans the
           // upgrade creates anew).
           "CREATE TABLE request_ids (owner TEXT NOT NULL, request_id TEXT NOT NULL, method TEXT NOT NULL, "
           "fingerprint TEXT NOT NULL, resource_name TEXT NOT NULL, create_micros BIGINT NOT NULL, "
           "PRIMARY KEY (owner, request_id))",
       }},
      {4,
       "event ids pseudonymised",
       {
           // Events carried real record and staff ids; they now carry their
           // pseudonyms (event_payload.h). Rows from before (0) are
           // pseudonymised as they are served (Outbox::ReadAfter).
           "ALTER TABLE outbox ADD COLUMN ids_pseudonymised INTEGER NOT NULL DEFAULT 0",
       }},
      {5,
       "audit hashes over length-prefixed fields",
       {
           // Version 1 joined the fields with a separator a field may
           // contain; version 2 prefixes each field with its length. The
           // records written before keep version 1 and still verify.
           "ALTER TABLE audit_log ADD COLUMN hash_version INTEGER NOT NULL DEFAULT 1",
       }},
  };
}

}  // namespace ips
