-- The outbox's scheduled checks read through these, so a tick costs the same however many launches and
-- licenses there are (docs/integrations.md, "The launch path does not pay"): refused launches only (a
-- partial index the hot, allowed launch never writes), and licenses by expiry.
CREATE INDEX IF NOT EXISTS `launch_events_denied` ON `launch_events` (`id`) WHERE `allowed` = 0;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `licenses_expires_at` ON `licenses` (`expires_at`) WHERE `expires_at` IS NOT NULL;
--> statement-breakpoint
-- Events written by triggers, in the transaction of their cause (docs/integrations.md, "Events"), and only
-- when an endpoint of the org asks for them: otherwise the cause's write is all there is. The fan-out
-- makes their deliveries, as `deliveriesStatement` does for the events the services write; `*` does not
-- include the opt-in `completion.recorded`. Event ids derive from the cause, so a cause seen twice (a
-- retried report) announces once.
CREATE TRIGGER IF NOT EXISTS `outbox_events_fan_out` AFTER INSERT ON `outbox_events`
WHEN NEW.`type` IN ('errors.new_group', 'errors.spike', 'completion.recorded') BEGIN
	INSERT INTO `webhook_deliveries` (`endpoint_id`, `event_id`, `seq`, `org_id`, `status`, `attempts`, `next_attempt_at`, `created_at`)
	SELECT w.`id`, NEW.`id`, NEW.`seq`, NEW.`org_id`, 'pending', 0, NEW.`created_at`, NEW.`created_at`
	FROM `webhook_endpoints` w
	WHERE w.`org_id` = NEW.`org_id` AND EXISTS (SELECT 1 FROM json_each(w.`events`)
		WHERE value = NEW.`type` OR (value = '*' AND NEW.`type` <> 'completion.recorded'));
END;
--> statement-breakpoint
-- errors.new_group: the first row of a group (a course's fingerprint, over all its deployments).
CREATE TRIGGER IF NOT EXISTS `error_events_new_group` AFTER INSERT ON `error_events`
WHEN EXISTS (SELECT 1 FROM `webhook_endpoints` w WHERE w.`org_id` = NEW.`org_id`
		AND EXISTS (SELECT 1 FROM json_each(w.`events`) WHERE value IN ('errors.new_group', '*')))
	AND NOT EXISTS (SELECT 1 FROM `error_events` o
		WHERE o.`course_id` = NEW.`course_id` AND o.`fingerprint` = NEW.`fingerprint` AND o.`id` <> NEW.`id`)
BEGIN
	INSERT INTO `outbox_events` (`id`, `org_id`, `type`, `subject`, `payload`, `created_at`)
	SELECT 'msg_eg' || NEW.`id`, NEW.`org_id`, 'errors.new_group', NEW.`course_id`,
		json_object('type', 'errors.new_group',
			'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.`at` / 1000.0, 'unixepoch'),
			'data', json_object('courseId', NEW.`course_id`, 'courseSlug', c.`slug`, 'deploymentId', NEW.`deployment_id`,
				'fingerprint', NEW.`fingerprint`, 'kind', NEW.`kind`, 'code', NEW.`code`,
				'message', substr(NEW.`message`, 1, 200))),
		NEW.`at`
	FROM (SELECT 1) LEFT JOIN `courses` c ON c.`id` = NEW.`course_id`
	WHERE NOT EXISTS (SELECT 1 FROM `outbox_events` e WHERE e.`id` = 'msg_eg' || NEW.`id`);
END;
--> statement-breakpoint
-- errors.spike: a group's occurrences in the 10 minutes up to a report reach 50; at most once per group
-- and aligned 10 minutes (gatekeeper/outbox/trigger-events.ts, ERROR_SPIKE).
CREATE TRIGGER IF NOT EXISTS `error_reports_spike` AFTER INSERT ON `error_reports`
WHEN NEW.`group_id` IS NOT NULL AND EXISTS (SELECT 1 FROM `error_events` g JOIN `webhook_endpoints` w ON w.`org_id` = g.`org_id`
	WHERE g.`id` = NEW.`group_id` AND EXISTS (SELECT 1 FROM json_each(w.`events`) WHERE value IN ('errors.spike', '*')))
BEGIN
	INSERT INTO `outbox_events` (`id`, `org_id`, `type`, `subject`, `payload`, `created_at`)
	SELECT x.`id`, x.`org_id`, 'errors.spike', x.`course_id`,
		json_object('type', 'errors.spike',
			'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', NEW.`at` / 1000.0, 'unixepoch'),
			'data', json_object('courseId', x.`course_id`, 'courseSlug', c.`slug`, 'fingerprint', x.`fingerprint`,
				'kind', x.`kind`, 'code', x.`code`, 'message', substr(x.`message`, 1, 200),
				'occurrences', x.`n`, 'windowMinutes', 10, 'threshold', 50)),
		NEW.`at`
	FROM (
		SELECT 'msg_es' || (SELECT min(o.`id`) FROM `error_events` o WHERE o.`course_id` = g.`course_id` AND o.`fingerprint` = g.`fingerprint`)
				|| '_' || (NEW.`at` / 600000) AS `id`,
			g.`org_id`, g.`course_id`, g.`fingerprint`, g.`kind`, g.`code`, g.`message`,
			(SELECT coalesce(sum(r.`count`), 0) FROM `error_events` o JOIN `error_reports` r ON r.`group_id` = o.`id`
				WHERE o.`course_id` = g.`course_id` AND o.`fingerprint` = g.`fingerprint`
					AND r.`at` > NEW.`at` - 600000 AND r.`at` <= NEW.`at`) AS `n`
		FROM `error_events` g WHERE g.`id` = NEW.`group_id`
	) x LEFT JOIN `courses` c ON c.`id` = x.`course_id`
	WHERE x.`n` >= 50 AND NOT EXISTS (SELECT 1 FROM `outbox_events` e WHERE e.`id` = x.`id`);
END;
--> statement-breakpoint
-- completion.recorded (opt-in: only an endpoint naming it): a session's completion record becomes completed.
CREATE VIEW IF NOT EXISTS `completion_recorded_events` AS
	SELECT p.`session_id`, p.`org_id`, 'msg_cr' || p.`session_id` AS `id`, p.`updated_at`,
		json_object('type', 'completion.recorded',
			'timestamp', strftime('%Y-%m-%dT%H:%M:%fZ', p.`updated_at` / 1000.0, 'unixepoch'),
			'data', json_object('sessionId', p.`session_id`, 'courseId', p.`course_id`, 'courseSlug', c.`slug`,
				'deploymentId', p.`deployment_id`, 'licenseId', s.`license_id`, 'clientName', l.`client_name`,
				'passed', json(CASE WHEN p.`passed` IS NULL THEN 'null' WHEN p.`passed` THEN 'true' ELSE 'false' END),
				'scoreScaled', p.`score_scaled`)) AS `payload`,
		p.`course_id`
	FROM `completions` p LEFT JOIN `courses` c ON c.`id` = p.`course_id`
		LEFT JOIN `sessions` s ON s.`id` = p.`session_id` LEFT JOIN `licenses` l ON l.`id` = s.`license_id`;
--> statement-breakpoint
-- Writing into the view announces that session's completion, once, if an endpoint of its org names it.
CREATE TRIGGER IF NOT EXISTS `completion_recorded_write` INSTEAD OF INSERT ON `completion_recorded_events` BEGIN
	INSERT INTO `outbox_events` (`id`, `org_id`, `type`, `subject`, `payload`, `created_at`)
	SELECT v.`id`, v.`org_id`, 'completion.recorded', v.`course_id`, v.`payload`, v.`updated_at`
	FROM `completion_recorded_events` v
	WHERE v.`session_id` = NEW.`session_id` AND NOT EXISTS (SELECT 1 FROM `outbox_events` e WHERE e.`id` = v.`id`)
		AND EXISTS (SELECT 1 FROM `webhook_endpoints` w WHERE w.`org_id` = v.`org_id`
			AND EXISTS (SELECT 1 FROM json_each(w.`events`) WHERE value = 'completion.recorded'));
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `completions_recorded_insert` AFTER INSERT ON `completions` WHEN NEW.`completed` = 1 BEGIN
	INSERT INTO `completion_recorded_events` (`session_id`) VALUES (NEW.`session_id`);
END;
--> statement-breakpoint
CREATE TRIGGER IF NOT EXISTS `completions_recorded_update` AFTER UPDATE OF `completed` ON `completions`
WHEN OLD.`completed` = 0 AND NEW.`completed` = 1 BEGIN
	INSERT INTO `completion_recorded_events` (`session_id`) VALUES (NEW.`session_id`);
END;
