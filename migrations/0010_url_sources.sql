-- Web pages as a knowledge source (issue 18): a document fetched from a URL keeps that URL, the
-- validators its server sent (for conditional re-fetches) and when it was last checked; a
-- knowledge base may ask for its pages to be re-fetched every N hours.
ALTER TABLE `documents` ADD `source_url` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `etag` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `last_modified` text;--> statement-breakpoint
ALTER TABLE `documents` ADD `checked_at` integer;--> statement-breakpoint
ALTER TABLE `knowledge_bases` ADD `refetch_interval_hours` integer;--> statement-breakpoint
CREATE INDEX `documents_source_checked_idx` ON `documents` (`knowledge_base_id`,`checked_at`) WHERE "documents"."source_url" IS NOT NULL;
