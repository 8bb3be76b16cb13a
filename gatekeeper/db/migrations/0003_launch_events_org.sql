-- One index fewer for every launch to write: org-scoped reads reach launch events through the org's
-- licenses and launch_events_license_at (gatekeeper/db/launch-events.ts, launchesOfLicenses).
DROP INDEX IF EXISTS `launch_events_org_at`;
