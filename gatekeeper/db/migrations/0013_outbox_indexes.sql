-- The outbox's scheduled checks read through these, so a tick costs the same however many launches and
-- licenses there are (docs/integrations.md, "The launch path does not pay"): refused launches only (a
-- partial index the hot, allowed launch never writes), and licenses by expiry.
CREATE INDEX IF NOT EXISTS `launch_events_denied` ON `launch_events` (`id`) WHERE `allowed` = 0;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `licenses_expires_at` ON `licenses` (`expires_at`) WHERE `expires_at` IS NOT NULL;
