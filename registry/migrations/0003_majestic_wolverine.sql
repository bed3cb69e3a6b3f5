CREATE TABLE `privacy_ledger` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`release_id` text NOT NULL,
	`at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) NOT NULL,
	`source_sha256` text NOT NULL,
	`source_name` text NOT NULL,
	`mechanism` text NOT NULL,
	`rho` real,
	`epsilon` real NOT NULL,
	`delta` real NOT NULL,
	`guarantee` integer NOT NULL,
	`produced` text NOT NULL,
	`detail` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `privacy_ledger_release_id_unique` ON `privacy_ledger` (`release_id`);--> statement-breakpoint
CREATE INDEX `privacy_ledger_source` ON `privacy_ledger` (`source_sha256`);