-- Statement forwarding to an owner's LRS (docs/integrations.md, "Statement forwarding"): one target per
-- course, and a queue filled in the transaction that stores statements (a row naming the batch's ids,
-- written by the ingest: forwarding/queue.ts) or changes a completion record (the triggers below, which
-- fire once per upsert). A course without a target gets no queue row.
CREATE TABLE IF NOT EXISTS `lrs_forwarding` (
	`course_id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL,
	`endpoint` text NOT NULL,
	`credentials` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer DEFAULT 0 NOT NULL,
	`last_attempt_at` integer,
	`last_status` integer,
	`last_error` text,
	`last_error_at` integer,
	`delivered` integer DEFAULT 0 NOT NULL,
	`rejected` integer DEFAULT 0 NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `lrs_queue` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`course_id` text NOT NULL,
	`kind` text NOT NULL,
	`ref` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `lrs_queue_course` ON `lrs_queue` (`course_id`, `seq`);
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `lrs_queue_completion_insert` AFTER INSERT ON `completions`
WHEN EXISTS (SELECT 1 FROM `lrs_forwarding` WHERE `course_id` = NEW.`course_id`)
BEGIN
	INSERT INTO `lrs_queue` (`course_id`, `kind`, `ref`) VALUES (NEW.`course_id`, 'completion', NEW.`session_id`);
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `lrs_queue_completion_update` AFTER UPDATE ON `completions`
WHEN EXISTS (SELECT 1 FROM `lrs_forwarding` WHERE `course_id` = NEW.`course_id`)
BEGIN
	INSERT INTO `lrs_queue` (`course_id`, `kind`, `ref`) VALUES (NEW.`course_id`, 'completion', NEW.`session_id`);
END;
