ALTER TABLE `swarm_runs` ADD `steps_used` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `swarm_runs` ADD `deadline_at` integer;--> statement-breakpoint
ALTER TABLE `swarm_steps` ADD `key` text;--> statement-breakpoint
ALTER TABLE `swarm_steps` ADD `round` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `swarm_steps` ADD `model` text;--> statement-breakpoint
ALTER TABLE `swarm_steps` ADD `degraded` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `swarm_steps` ADD `latency_ms` integer;