ALTER TABLE `messages` ADD `status` text DEFAULT 'complete' NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `tool_call_id` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `tool_name` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `agent_version` integer;