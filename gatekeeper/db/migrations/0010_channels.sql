-- Release channels and pins (issue 26; docs/deployments.md, "Channels"): a course's named channels,
-- each pointing at one of its deployments (`live` stays `courses.live_deployment_id`), and what each
-- license launches: its channel, or one pinned deployment, or (both null) the live deployment.
CREATE TABLE IF NOT EXISTS `channels` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL REFERENCES `orgs`(`id`),
	`course_id` text NOT NULL REFERENCES `courses`(`id`),
	`name` text NOT NULL,
	`deployment_id` text REFERENCES `deployments`(`id`),
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `channels_course_name` ON `channels` (`course_id`, `name`);
--> statement-breakpoint
ALTER TABLE `licenses` ADD `channel_id` text REFERENCES `channels`(`id`);
--> statement-breakpoint
ALTER TABLE `licenses` ADD `pinned_deployment_id` text REFERENCES `deployments`(`id`);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `licenses_channel` ON `licenses` (`channel_id`);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `licenses_pinned` ON `licenses` (`pinned_deployment_id`);
