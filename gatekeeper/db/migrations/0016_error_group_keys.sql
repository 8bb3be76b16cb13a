-- Error groups at scale (issue 24): the error-groups page walks `error_events` newest first through
-- `error_events_org_at` (or `error_events_course_at` for one course) until it has a page of distinct
-- (course, fingerprint) keys, then aggregates only those keys through this index (docs/gatekeeper.md,
-- "Indexes, paging and exports"). It leaves out `at`, so the ingest's per-report update of a group's
-- time and count does not touch it: only a new group (one row per course, deployment and fingerprint)
-- writes an entry.
CREATE INDEX IF NOT EXISTS `error_events_course_fingerprint` ON `error_events` (`course_id`, `fingerprint`);
