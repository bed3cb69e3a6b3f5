DROP INDEX `expectations_pair`;--> statement-breakpoint
CREATE INDEX `expectations_pair` ON `expectations` (`model_version_id`,`dataset_version_id`);