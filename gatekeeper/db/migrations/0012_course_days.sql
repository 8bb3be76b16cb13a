-- Launches, denied launches and error occurrences per org, UTC day and course (issue 24): the courses
-- page, the charts and the launch log's totals sum a few rows of this instead of counting a month of
-- launch events. Triggers keep it exact in the same transaction as the rows it counts: one small upsert
-- per launch event or error report (the statements ingest writes neither); deletes (retention) subtract.
-- `day` is the UTC midnight of the event, in ms. Docs: docs/gatekeeper.md, "Per-day counts".
CREATE TABLE IF NOT EXISTS `course_days` (
	`org_id` text NOT NULL,
	`day` integer NOT NULL,
	`course_id` text NOT NULL,
	`launches` integer NOT NULL DEFAULT 0,
	`denied` integer NOT NULL DEFAULT 0,
	`errors` integer NOT NULL DEFAULT 0,
	PRIMARY KEY (`org_id`, `day`, `course_id`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `course_days` (`org_id`, `day`, `course_id`, `launches`, `denied`)
SELECT e.`org_id`, e.`at` - e.`at` % 86400000, l.`course_id`, count(*), sum(1 - e.`allowed`)
FROM `launch_events` e JOIN `licenses` l ON l.`id` = e.`license_id` AND l.`org_id` = e.`org_id`
WHERE true GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO `course_days` (`org_id`, `day`, `course_id`, `errors`)
SELECT g.`org_id`, r.`at` - r.`at` % 86400000, g.`course_id`, sum(r.`count`)
FROM `error_reports` r JOIN `error_events` g ON g.`id` = r.`group_id`
WHERE true GROUP BY 1, 2, 3
ON CONFLICT (`org_id`, `day`, `course_id`) DO UPDATE SET `errors` = `errors` + excluded.`errors`;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `course_days_launch` AFTER INSERT ON `launch_events` BEGIN
	INSERT INTO `course_days` (`org_id`, `day`, `course_id`, `launches`, `denied`)
	SELECT NEW.`org_id`, NEW.`at` - NEW.`at` % 86400000, l.`course_id`, 1, 1 - NEW.`allowed`
	FROM `licenses` l WHERE l.`id` = NEW.`license_id` AND l.`org_id` = NEW.`org_id`
	ON CONFLICT (`org_id`, `day`, `course_id`) DO UPDATE
	SET `launches` = `launches` + 1, `denied` = `denied` + excluded.`denied`;
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `course_days_launch_gone` AFTER DELETE ON `launch_events` BEGIN
	UPDATE `course_days` SET `launches` = `launches` - 1, `denied` = `denied` - (1 - OLD.`allowed`)
	WHERE `org_id` = OLD.`org_id` AND `day` = OLD.`at` - OLD.`at` % 86400000
	AND `course_id` = (SELECT `course_id` FROM `licenses` WHERE `id` = OLD.`license_id` AND `org_id` = OLD.`org_id`);
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `course_days_error` AFTER INSERT ON `error_reports` BEGIN
	INSERT INTO `course_days` (`org_id`, `day`, `course_id`, `errors`)
	SELECT g.`org_id`, NEW.`at` - NEW.`at` % 86400000, g.`course_id`, NEW.`count`
	FROM `error_events` g WHERE g.`id` = NEW.`group_id`
	ON CONFLICT (`org_id`, `day`, `course_id`) DO UPDATE SET `errors` = `errors` + excluded.`errors`;
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `course_days_error_gone` AFTER DELETE ON `error_reports` BEGIN
	UPDATE `course_days` SET `errors` = `errors` - OLD.`count`
	WHERE (`org_id`, `course_id`) = (SELECT `org_id`, `course_id` FROM `error_events` WHERE `id` = OLD.`group_id`)
	AND `day` = OLD.`at` - OLD.`at` % 86400000;
END;
