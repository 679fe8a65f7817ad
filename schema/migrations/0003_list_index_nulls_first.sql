DROP INDEX "companies_created_idx";--> statement-breakpoint
DROP INDEX "contacts_created_idx";--> statement-breakpoint
DROP INDEX "leads_created_idx";--> statement-breakpoint
DROP INDEX "activities_created_idx";--> statement-breakpoint
DROP INDEX "deals_created_idx";--> statement-breakpoint
CREATE INDEX "companies_created_idx" ON "companies" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "contacts_created_idx" ON "contacts" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "leads_created_idx" ON "leads" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "activities_created_idx" ON "activities" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "deals_created_idx" ON "deals" USING btree ("tenant_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);