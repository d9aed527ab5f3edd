-- Web pages as a knowledge source: a document fetched from a URL keeps that URL, the validators
-- its server sent (for conditional re-fetches) and when it was last checked; a knowledge base may
-- ask for its pages to be re-fetched every N hours. Idempotency-Key on creating POSTs
-- (worker/core/idempotency.ts): the first answer per credential and key, replayed for 24 h;
-- `status` is null while the first request is still running.
CREATE TABLE `idempotency_keys` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`workspace_id` text NOT NULL,
	`route` text NOT NULL,
	`fingerprint` text NOT NULL,
	`status` integer,
	`content_type` text,
	`body` text,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`scope`, `key`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_created_idx` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
ALTER TABLE `documents` ADD `source_url` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `etag` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `last_modified` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `checked_at` integer;--> statement-breakpoint
CREATE INDEX `documents_source_checked_idx` ON `documents` (`knowledge_base_id`,`checked_at`) WHERE "documents"."source_url" IS NOT NULL;--> statement-breakpoint
ALTER TABLE `knowledge_bases` ADD `refetch_interval_hours` integer;