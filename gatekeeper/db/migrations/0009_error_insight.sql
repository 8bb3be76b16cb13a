-- Error insight (issue 24): the browser family of each counted report (never the full user agent), and
-- an index that serves a group's trend, clients and browsers.
ALTER TABLE `error_reports` ADD `browser` text;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `error_reports_group_at` ON `error_reports` (`group_id`, `at`);
