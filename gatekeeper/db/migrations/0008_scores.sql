-- A completion keeps the score's range as reported, so its percent can be worked out for every standard
-- (protocol/score-percent.ts; docs/telemetry.md, "Scores").
ALTER TABLE `completions` ADD `score_min` real;
--> statement-breakpoint
ALTER TABLE `completions` ADD `score_max` real;
