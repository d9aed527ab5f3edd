CREATE TABLE `eval_cases` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`dataset_id` text NOT NULL,
	`case_key` text NOT NULL,
	`added_in` integer NOT NULL,
	`removed_in` integer,
	`position` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`dataset_id`) REFERENCES `eval_datasets`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `eval_cases_dataset_idx` ON `eval_cases` (`dataset_id`,`added_in`);--> statement-breakpoint
CREATE INDEX `eval_cases_key_idx` ON `eval_cases` (`dataset_id`,`case_key`);--> statement-breakpoint
CREATE TABLE `eval_datasets` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` text NOT NULL,
	`deleted_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `eval_datasets_workspace_idx` ON `eval_datasets` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `eval_results` (
	`run_id` text NOT NULL,
	`case_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`position` integer NOT NULL,
	`status` text NOT NULL,
	`output` text,
	`observed` text,
	`scores` text,
	`conversation_id` text,
	`swarm_run_id` text,
	`trace_id` text,
	`tokens_in` integer DEFAULT 0 NOT NULL,
	`tokens_out` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`latency_ms` integer,
	`error` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	PRIMARY KEY(`run_id`, `case_id`),
	FOREIGN KEY (`run_id`) REFERENCES `eval_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `eval_results_run_idx` ON `eval_results` (`run_id`,`position`);--> statement-breakpoint
CREATE TABLE `eval_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`dataset_id` text NOT NULL,
	`dataset_version` integer NOT NULL,
	`target` text NOT NULL,
	`scorers` text NOT NULL,
	`concurrency` integer DEFAULT 2 NOT NULL,
	`budget_tokens` integer,
	`budget_ms` integer,
	`status` text NOT NULL,
	`reason` text,
	`cases_total` integer DEFAULT 0 NOT NULL,
	`cases_done` integer DEFAULT 0 NOT NULL,
	`tokens_used` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`summary` text,
	`label` text,
	`created_by` text NOT NULL,
	`started_at` integer,
	`ended_at` integer,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `eval_runs_workspace_idx` ON `eval_runs` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `eval_runs_dataset_idx` ON `eval_runs` (`dataset_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `model_prices` (
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`input_usd_per_mtok` real NOT NULL,
	`output_usd_per_mtok` real NOT NULL,
	`input_neurons_per_mtok` real,
	`output_neurons_per_mtok` real,
	`updated_by` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	PRIMARY KEY(`provider`, `model`)
);
--> statement-breakpoint
CREATE TABLE `trace_spans` (
	`trace_id` text NOT NULL,
	`span_id` text NOT NULL,
	`parent_span_id` text,
	`name` text NOT NULL,
	`kind` text DEFAULT 'internal' NOT NULL,
	`start_ms` real NOT NULL,
	`duration_ms` real NOT NULL,
	`status` text DEFAULT 'unset' NOT NULL,
	`status_message` text,
	`attributes` text NOT NULL,
	`events` text,
	PRIMARY KEY(`trace_id`, `span_id`)
);
--> statement-breakpoint
CREATE TABLE `traces` (
	`trace_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text,
	`user_id` text,
	`name` text NOT NULL,
	`method` text,
	`route` text,
	`status` integer,
	`duration_ms` real NOT NULL,
	`error` integer DEFAULT false NOT NULL,
	`blocked` integer DEFAULT false NOT NULL,
	`degraded` integer DEFAULT false NOT NULL,
	`agent_id` text,
	`conversation_id` text,
	`run_id` text,
	`span_count` integer DEFAULT 0 NOT NULL,
	`kept_because` text NOT NULL,
	`started_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `traces_workspace_idx` ON `traces` (`workspace_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `traces_conversation_idx` ON `traces` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `traces_run_idx` ON `traces` (`run_id`);--> statement-breakpoint
CREATE INDEX `traces_started_idx` ON `traces` (`started_at`);--> statement-breakpoint
CREATE TABLE `usage_events` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`user_id` text,
	`agent_id` text,
	`agent_version` integer,
	`conversation_id` text,
	`run_id` text,
	`eval_run_id` text,
	`surface` text NOT NULL,
	`provider` text NOT NULL,
	`model` text NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`cost_usd` real DEFAULT 0 NOT NULL,
	`neurons` real,
	`latency_ms` integer,
	`ttft_ms` integer,
	`outcome` text,
	`degraded` integer DEFAULT false NOT NULL,
	`trace_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `usage_events_workspace_idx` ON `usage_events` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `usage_events_agent_idx` ON `usage_events` (`agent_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `usage_events_conversation_idx` ON `usage_events` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `usage_events_run_idx` ON `usage_events` (`run_id`);--> statement-breakpoint
CREATE INDEX `usage_events_eval_run_idx` ON `usage_events` (`eval_run_id`);--> statement-breakpoint
CREATE TABLE `workspace_budgets` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`monthly_usd` real NOT NULL,
	`warn_ratio` real DEFAULT 0.8 NOT NULL,
	`warned_month` text,
	`updated_by` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `audit_logs` ADD `trace_id` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `trace_id` text;--> statement-breakpoint
ALTER TABLE `swarm_steps` ADD `trace_id` text;