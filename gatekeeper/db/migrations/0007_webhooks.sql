-- Webhooks and their durable outbox (docs/integrations.md): events are written in the same transaction
-- as the change that causes them; the drain delivers them.
CREATE TABLE IF NOT EXISTS `webhook_endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`org_id` text NOT NULL REFERENCES `orgs`(`id`),
	`url` text NOT NULL,
	`events` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`secret` text NOT NULL,
	`previous_secret` text,
	`previous_until` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `webhook_endpoints_org` ON `webhook_endpoints` (`org_id`);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `outbox_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`org_id` text NOT NULL,
	`type` text NOT NULL,
	`subject` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `outbox_events_id` ON `outbox_events` (`id`);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `outbox_events_org` ON `outbox_events` (`org_id`, `seq`);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `webhook_deliveries` (
	`endpoint_id` text NOT NULL,
	`event_id` text NOT NULL,
	`seq` integer NOT NULL,
	`org_id` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer NOT NULL,
	`last_attempt_at` integer,
	`response_status` integer,
	`latency_ms` integer,
	`last_error` text,
	`delivered_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `webhook_deliveries_pk` ON `webhook_deliveries` (`endpoint_id`, `event_id`);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `webhook_deliveries_due` ON `webhook_deliveries` (`status`, `next_attempt_at`);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `webhook_deliveries_endpoint_seq` ON `webhook_deliveries` (`endpoint_id`, `status`, `seq`);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `outbox_marks` (
	`key` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
