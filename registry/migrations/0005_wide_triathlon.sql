CREATE TABLE `contract_run_datasets` (
	`run_id` integer NOT NULL,
	`dataset_version_id` integer NOT NULL,
	PRIMARY KEY(`run_id`, `dataset_version_id`),
	FOREIGN KEY (`run_id`) REFERENCES `contract_runs`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`dataset_version_id`) REFERENCES `dataset_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `contract_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_version_id` integer NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`endpoint` text NOT NULL,
	`protocol` text NOT NULL,
	`passed` integer NOT NULL,
	`goldgen_version` text NOT NULL,
	`stages` text NOT NULL,
	`figures` text,
	`report` text NOT NULL,
	FOREIGN KEY (`model_version_id`) REFERENCES `model_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `contract_runs_model_version` ON `contract_runs` (`model_version_id`);