ALTER TABLE `statements` ADD `deployment_id` text;--> statement-breakpoint
CREATE INDEX `statements_org_stored` ON `statements` (`org_id`,`stored_at`);--> statement-breakpoint
ALTER TABLE `completions` ADD `deployment_id` text;--> statement-breakpoint
ALTER TABLE `completions` ADD `score_scaled` real;--> statement-breakpoint
ALTER TABLE `completions` ADD `progress` real;--> statement-breakpoint
ALTER TABLE `completions` ADD `duration_ms` integer;--> statement-breakpoint
CREATE INDEX `completions_course_updated` ON `completions` (`course_id`,`updated_at`);--> statement-breakpoint
ALTER TABLE `error_events` ADD `deployment_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `error_events` ADD `fingerprint` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `error_events` ADD `kind` text DEFAULT 'error' NOT NULL;--> statement-breakpoint
ALTER TABLE `error_events` ADD `stack` text;--> statement-breakpoint
ALTER TABLE `error_events` ADD `count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `error_events` ADD `first_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `error_events_group` ON `error_events` (`course_id`,`deployment_id`,`fingerprint`);--> statement-breakpoint
CREATE TABLE `error_reports` (
	`id` text PRIMARY KEY NOT NULL,
	`group_id` integer NOT NULL,
	`count` integer NOT NULL,
	`at` integer NOT NULL
);--> statement-breakpoint
CREATE INDEX `error_reports_at` ON `error_reports` (`at`);--> statement-breakpoint
CREATE TRIGGER `error_reports_count` AFTER INSERT ON `error_reports` BEGIN
	UPDATE `error_events` SET `count` = `count` + NEW.`count` WHERE `id` = NEW.`group_id`;
END;--> statement-breakpoint
CREATE INDEX `launch_events_org_at` ON `launch_events` (`org_id`,`at`);
