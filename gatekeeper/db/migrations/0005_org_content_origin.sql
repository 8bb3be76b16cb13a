-- One content origin per organisation (docs/storage.md, "The content origin"). An org's own content base
-- URL, set by the operator for S3/R2 (a bucket's custom domain or a CDN host); null takes the template.
ALTER TABLE `orgs` ADD `content_url` text;
--> statement-breakpoint
ALTER TABLE `orgs` ADD `content_host` text;
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS `orgs_content_host` ON `orgs` (`content_host`);
--> statement-breakpoint
-- Courses that exist now were deployed on the shared origin, and their gated cmi5 packages name it: it
-- keeps serving them until each course's next deployment is finalized (gatekeeper/deployments/finalize.ts).
ALTER TABLE `courses` ADD `shared_origin` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
UPDATE `courses` SET `shared_origin` = 1;
