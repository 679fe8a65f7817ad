DROP INDEX "events_event_properties_gin";--> statement-breakpoint
DROP INDEX "events_user_id_idx";--> statement-breakpoint
DROP INDEX "events_workspace_id_idx";--> statement-breakpoint
CREATE INDEX "events_user_id_idx" ON "events" USING btree ("tenant_id","user_id") WHERE "events"."user_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "events_workspace_id_idx" ON "events" USING btree ("tenant_id","workspace_id") WHERE "events"."workspace_id" IS NOT NULL;