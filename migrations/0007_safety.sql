CREATE TABLE `workspace_safety_policies` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`policy` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Nothing ever wrote safety_events before the safety service: recreated in its new shape.
DROP TABLE `safety_events`;--> statement-breakpoint
CREATE TABLE `safety_events` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`agent_id` text,
	`conversation_id` text,
	`run_id` text,
	`surface` text NOT NULL,
	`stage` text NOT NULL,
	`detector` text NOT NULL,
	`category` text NOT NULL,
	`action` text NOT NULL,
	`score` real NOT NULL,
	`source` text NOT NULL,
	`text_hash` text NOT NULL,
	`snippet` text,
	`request_id` text,
	`created_at` integer DEFAULT (unixepoch() * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `safety_events_workspace_idx` ON `safety_events` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `safety_events_conversation_idx` ON `safety_events` (`conversation_id`);--> statement-breakpoint
CREATE INDEX `safety_events_run_idx` ON `safety_events` (`run_id`);--> statement-breakpoint
-- Agents stored the pre-safety-service policy shape {input_guard, output_guard, action}: its
-- switches become the stages' `enabled` (see worker/safety/policy.ts fromLegacy), the action goes.
UPDATE `agent_versions` SET `definition` = json_set(`definition`, '$.safety', json_patch(
	CASE WHEN json_extract(`definition`, '$.safety.input_guard') = 0 THEN json_object('input', json_object('enabled', json('false'))) ELSE json_object() END,
	CASE WHEN json_extract(`definition`, '$.safety.output_guard') = 0 THEN json_object('output', json_object('enabled', json('false'))) ELSE json_object() END
)) WHERE json_type(`definition`, '$.safety.input_guard') IS NOT NULL OR json_type(`definition`, '$.safety.output_guard') IS NOT NULL OR json_type(`definition`, '$.safety.action') IS NOT NULL;
