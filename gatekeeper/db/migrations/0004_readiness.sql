-- One row `GET /readyz` rewrites, so readiness proves the database takes a write (gatekeeper/db/readiness.ts).
CREATE TABLE IF NOT EXISTS `readiness_probe` (
	`id` integer PRIMARY KEY NOT NULL,
	`checked_at` integer NOT NULL
);
