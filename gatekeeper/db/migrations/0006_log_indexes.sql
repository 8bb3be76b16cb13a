-- Every log read has an index that serves its filter and its (time, id) order, so a page is read by key
-- and never sorted (docs/gatekeeper.md, "Indexes, paging and exports"). The org-wide launch log needs the
-- org index back: a launch now writes two indexes, against the launch bench's budget.
CREATE INDEX IF NOT EXISTS `launch_events_org_at` ON `launch_events` (`org_id`,`at`);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `error_events_org_at` ON `error_events` (`org_id`,`at`);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `completions_org_updated` ON `completions` (`org_id`,`updated_at`);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `statements_org_verb_stored` ON `statements` (`org_id`,`verb`,`stored_at`);
--> statement-breakpoint
DROP INDEX IF EXISTS `statements_course`;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `statements_course_stored` ON `statements` (`course_id`,`stored_at`);
--> statement-breakpoint
DROP INDEX IF EXISTS `statements_session`;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `statements_session_stored` ON `statements` (`session_id`,`stored_at`);
--> statement-breakpoint
DROP INDEX IF EXISTS `licenses_org`;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `licenses_org_created` ON `licenses` (`org_id`,`created_at`);
