CREATE TABLE "alias_history" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"name" text NOT NULL,
	"from_version_id" integer,
	"to_version_id" integer NOT NULL,
	"moved_at" text DEFAULT to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	"moved_by" text
);
--> statement-breakpoint
CREATE TABLE "aliases" (
	"dataset_id" integer NOT NULL,
	"name" text NOT NULL,
	"version_id" integer NOT NULL,
	CONSTRAINT "aliases_dataset_id_name_pk" PRIMARY KEY("dataset_id","name")
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" serial PRIMARY KEY NOT NULL,
	"at" text DEFAULT to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text NOT NULL,
	"detail" json
);
--> statement-breakpoint
CREATE TABLE "blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"bytes" bigint NOT NULL,
	"created_at" text DEFAULT to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contract_run_datasets" (
	"run_id" integer NOT NULL,
	"dataset_version_id" integer NOT NULL,
	CONSTRAINT "contract_run_datasets_run_id_dataset_version_id_pk" PRIMARY KEY("run_id","dataset_version_id")
);
--> statement-breakpoint
CREATE TABLE "contract_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"model_version_id" integer NOT NULL,
	"at" text DEFAULT to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	"endpoint" text NOT NULL,
	"protocol" text NOT NULL,
	"passed" boolean NOT NULL,
	"goldgen_version" text NOT NULL,
	"stages" json NOT NULL,
	"figures" json,
	"report" json NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dataset_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"version" integer NOT NULL,
	"sha256" text NOT NULL,
	"format" text NOT NULL,
	"rows" bigint NOT NULL,
	"recipe" json,
	"manifest_sha256" text NOT NULL,
	"created_at" text DEFAULT to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	"created_by" text
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" text DEFAULT to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	CONSTRAINT "datasets_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "expectations" (
	"id" serial PRIMARY KEY NOT NULL,
	"model_version_id" integer NOT NULL,
	"dataset_version_id" integer NOT NULL,
	"sha256" text NOT NULL,
	"format" text NOT NULL,
	"rows" bigint NOT NULL,
	"tolerances" json NOT NULL,
	"created_at" text DEFAULT to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "model_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"model_id" integer NOT NULL,
	"version" text NOT NULL,
	"metadata" json NOT NULL,
	"created_at" text DEFAULT to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"created_at" text DEFAULT to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	CONSTRAINT "models_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "privacy_ledger" (
	"id" serial PRIMARY KEY NOT NULL,
	"release_id" text NOT NULL,
	"at" text DEFAULT to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	"source_sha256" text NOT NULL,
	"source_name" text NOT NULL,
	"mechanism" text NOT NULL,
	"rho" double precision,
	"epsilon" double precision NOT NULL,
	"delta" double precision NOT NULL,
	"guarantee" boolean NOT NULL,
	"produced" text NOT NULL,
	"detail" json,
	CONSTRAINT "privacy_ledger_release_id_unique" UNIQUE("release_id")
);
--> statement-breakpoint
CREATE TABLE "representations" (
	"version_id" integer NOT NULL,
	"format" text NOT NULL,
	"sha256" text NOT NULL,
	"bytes" bigint NOT NULL,
	CONSTRAINT "representations_version_id_format_pk" PRIMARY KEY("version_id","format")
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" text DEFAULT to_char(clock_timestamp() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') NOT NULL,
	CONSTRAINT "tokens_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
ALTER TABLE "alias_history" ADD CONSTRAINT "alias_history_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alias_history" ADD CONSTRAINT "alias_history_from_version_id_dataset_versions_id_fk" FOREIGN KEY ("from_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alias_history" ADD CONSTRAINT "alias_history_to_version_id_dataset_versions_id_fk" FOREIGN KEY ("to_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aliases" ADD CONSTRAINT "aliases_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "aliases" ADD CONSTRAINT "aliases_version_id_dataset_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_run_datasets" ADD CONSTRAINT "contract_run_datasets_run_id_contract_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."contract_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_run_datasets" ADD CONSTRAINT "contract_run_datasets_dataset_version_id_dataset_versions_id_fk" FOREIGN KEY ("dataset_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contract_runs" ADD CONSTRAINT "contract_runs_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_sha256_blobs_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_manifest_sha256_blobs_sha256_fk" FOREIGN KEY ("manifest_sha256") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expectations" ADD CONSTRAINT "expectations_model_version_id_model_versions_id_fk" FOREIGN KEY ("model_version_id") REFERENCES "public"."model_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expectations" ADD CONSTRAINT "expectations_dataset_version_id_dataset_versions_id_fk" FOREIGN KEY ("dataset_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expectations" ADD CONSTRAINT "expectations_sha256_blobs_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "representations" ADD CONSTRAINT "representations_version_id_dataset_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "representations" ADD CONSTRAINT "representations_sha256_blobs_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alias_history_dataset" ON "alias_history" USING btree ("dataset_id","name");--> statement-breakpoint
CREATE INDEX "contract_runs_model_version" ON "contract_runs" USING btree ("model_version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_versions_number" ON "dataset_versions" USING btree ("dataset_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_versions_content" ON "dataset_versions" USING btree ("dataset_id","sha256");--> statement-breakpoint
CREATE INDEX "expectations_pair" ON "expectations" USING btree ("model_version_id","dataset_version_id");--> statement-breakpoint
CREATE UNIQUE INDEX "model_versions_version" ON "model_versions" USING btree ("model_id","version");--> statement-breakpoint
CREATE INDEX "privacy_ledger_source" ON "privacy_ledger" USING btree ("source_sha256");