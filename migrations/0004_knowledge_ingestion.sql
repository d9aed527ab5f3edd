CREATE TABLE `document_texts` (
	`document_id` text NOT NULL,
	`part` integer NOT NULL,
	`workspace_id` text NOT NULL,
	`content` text NOT NULL,
	PRIMARY KEY(`document_id`, `part`),
	FOREIGN KEY (`document_id`) REFERENCES `documents`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `documents` ADD `char_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `documents` ADD `indexed_signature` text;--> statement-breakpoint
CREATE INDEX `documents_kb_name_idx` ON `documents` (`knowledge_base_id`,`name`);