-- Evaluation datasets (issue 21): one row per dataset version, so two changes made at once cannot
-- both become version N+1 (the second fails on the primary key and is answered 409), and a
-- dataset's name is unique among the workspace's live datasets.
CREATE TABLE `eval_dataset_versions` (
	`dataset_id` text NOT NULL,
	`version` integer NOT NULL,
	`workspace_id` text NOT NULL,
	`change` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`dataset_id`, `version`),
	FOREIGN KEY (`dataset_id`) REFERENCES `eval_datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `eval_datasets_live_name` ON `eval_datasets` (`workspace_id`,`name`) WHERE "eval_datasets"."deleted_at" IS NULL;