CREATE TABLE "events_pending" (
	"event_id" integer PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ingest_keys" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"key_prefix" text,
	"key_hash" text,
	"workspace_id" integer,
	"created_by_id" integer,
	"last_used_at" timestamp,
	"revoked_at" timestamp,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "ingest_keys_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "ingest_keys_key_hash_key" UNIQUE("key_hash"),
	CONSTRAINT "ingest_keys_name_not_blank" CHECK (length(btrim("ingest_keys"."name")) > 0),
	CONSTRAINT "ingest_keys_key_hash_format" CHECK ("ingest_keys"."key_hash" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
ALTER TABLE "ingest_keys" ADD CONSTRAINT "ingest_keys_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_keys" ADD CONSTRAINT "ingest_keys_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ingest_keys" ADD CONSTRAINT "ingest_keys_created_by_id_fk" FOREIGN KEY ("tenant_id","created_by_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE SET NULL ("created_by_id") ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ingest_keys_workspace_id_idx" ON "ingest_keys" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE INDEX "ingest_keys_created_by_id_idx" ON "ingest_keys" USING btree ("tenant_id","created_by_id");--> statement-breakpoint
-- Events written before the outbox existed are shipped too (hand-written: data, not schema).
INSERT INTO "events_pending" ("event_id") SELECT "id" FROM "events" ON CONFLICT DO NOTHING;
