CREATE TABLE "agent_conversations" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"title" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "agent_conversations_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "agent_conversations_tenant_id_id_user_key" UNIQUE("tenant_id","id","user_id")
);
--> statement-breakpoint
CREATE TABLE "agent_messages" (
	"id" serial PRIMARY KEY NOT NULL,
	"conversation_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"role" text NOT NULL,
	"content" text NOT NULL,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "agent_messages_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "agent_messages_role_check" CHECK ("agent_messages"."role" in ('user', 'assistant'))
);
--> statement-breakpoint
CREATE TABLE "assistant_conversations" (
	"id" serial PRIMARY KEY NOT NULL,
	"assistant_id" integer NOT NULL,
	"visitor_id" text NOT NULL,
	"visitor_email" text,
	"visitor_name" text,
	"visitor_company" text,
	"status" text DEFAULT 'open' NOT NULL,
	"lead_captured" boolean DEFAULT false NOT NULL,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "assistant_conversations_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "assistant_conversations_tenant_id_id_assistant_key" UNIQUE("tenant_id","id","assistant_id"),
	CONSTRAINT "assistant_conversations_status_check" CHECK ("assistant_conversations"."status" in ('open', 'closed')),
	CONSTRAINT "assistant_conversations_visitor_id_format" CHECK ("assistant_conversations"."visitor_id" ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')
);
--> statement-breakpoint
CREATE TABLE "assistant_documents" (
	"id" serial PRIMARY KEY NOT NULL,
	"assistant_id" integer NOT NULL,
	"type" text NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"content" text,
	"item_count" integer DEFAULT 0 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"last_synced" timestamp,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "assistant_documents_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "assistant_documents_type_check" CHECK ("assistant_documents"."type" in ('products', 'projects', 'documents', 'faq')),
	CONSTRAINT "assistant_documents_item_count_non_negative" CHECK ("assistant_documents"."item_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "assistant_messages" (
	"id" serial PRIMARY KEY NOT NULL,
	"conversation_id" integer NOT NULL,
	"role" text NOT NULL,
	"content" text NOT NULL,
	"message_type" text DEFAULT 'text' NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "assistant_messages_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "assistant_messages_role_check" CHECK ("assistant_messages"."role" in ('user', 'assistant')),
	CONSTRAINT "assistant_messages_message_type_check" CHECK ("assistant_messages"."message_type" in ('text', 'lead_form', 'file')),
	CONSTRAINT "assistant_messages_metadata_object" CHECK (jsonb_typeof("assistant_messages"."metadata") = 'object')
);
--> statement-breakpoint
CREATE TABLE "assistant_prospects" (
	"id" serial PRIMARY KEY NOT NULL,
	"assistant_id" integer NOT NULL,
	"conversation_id" integer NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"company" text,
	"phone" text,
	"source" text,
	"lead_quality" text,
	"notes" text,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "assistant_prospects_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "assistant_prospects_lead_quality_check" CHECK ("assistant_prospects"."lead_quality" in ('hot', 'warm', 'cold', 'unqualified'))
);
--> statement-breakpoint
CREATE TABLE "assistants" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"scope" text DEFAULT 'tenant' NOT NULL,
	"workspace_id" integer,
	"system_prompt" text NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"widget_code" text,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "assistants_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "assistants_scope_check" CHECK ("assistants"."scope" in ('tenant', 'workspace')),
	CONSTRAINT "assistants_scope_workspace" CHECK (("assistants"."scope" = 'workspace') = ("assistants"."workspace_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "companies" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"type" text,
	"industry" text,
	"phone" text,
	"email" text,
	"website" text,
	"address" text,
	"workspace_id" integer,
	"project_id" integer,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "companies_tenant_id_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" serial PRIMARY KEY NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"email" text NOT NULL,
	"phone" text,
	"job_title" text,
	"status" text DEFAULT 'prospect' NOT NULL,
	"company_id" integer,
	"assigned_to_id" integer,
	"supervisor_id" integer,
	"workspace_id" integer,
	"project_id" integer,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "contacts_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "contacts_status_check" CHECK ("contacts"."status" in ('lead', 'prospect', 'active', 'inactive'))
);
--> statement-breakpoint
CREATE TABLE "leads" (
	"id" serial PRIMARY KEY NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"email" text NOT NULL,
	"phone" text,
	"company" text,
	"job_title" text,
	"source" text,
	"status" text DEFAULT 'new' NOT NULL,
	"score" integer DEFAULT 0 NOT NULL,
	"notes" text,
	"assigned_to_id" integer,
	"assigned_by_id" integer,
	"assigned_at" timestamp,
	"workspace_id" integer,
	"project_id" integer,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "leads_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "leads_status_check" CHECK ("leads"."status" in ('new', 'contacted', 'qualified', 'unqualified', 'converted')),
	CONSTRAINT "leads_score_range" CHECK ("leads"."score" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" serial PRIMARY KEY NOT NULL,
	"event_name" text NOT NULL,
	"user_id" integer,
	"workspace_id" integer,
	"timestamp" timestamp DEFAULT now() NOT NULL,
	"source" text,
	"url" text,
	"user_agent" text,
	"ip_address" text,
	"session_id" text,
	"event_properties" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "events_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "events_event_name_not_blank" CHECK (length(btrim("events"."event_name")) > 0),
	CONSTRAINT "events_event_properties_object" CHECK (jsonb_typeof("events"."event_properties") = 'object')
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"status" text DEFAULT 'active' NOT NULL,
	"workspace_id" integer,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "projects_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "projects_status_check" CHECK ("projects"."status" in ('active', 'completed', 'on-hold'))
);
--> statement-breakpoint
CREATE TABLE "roles" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"level" integer NOT NULL,
	"permissions" text[] DEFAULT '{}'::text[] NOT NULL,
	"description" text,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "roles_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "roles_level_range" CHECK ("roles"."level" between 1 and 6),
	CONSTRAINT "roles_permissions_known" CHECK ("roles"."permissions" <@ ARRAY['manage_users', 'view_users', 'edit_user_profile', 'view_all_data', 'view_team_data', 'view_own_data', 'manage_contacts', 'manage_deals', 'manage_leads', 'manage_companies', 'manage_products', 'manage_activities', 'view_reports', 'view_analytics', 'generate_reports', 'export_data', 'manage_pipelines', 'manage_integrations', 'manage_assistants', 'manage_workspaces', 'manage_projects', 'manage_setup']::text[] and coalesce(array_ndims("roles"."permissions"), 1) = 1)
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"subdomain" text NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_subdomain_key" UNIQUE("subdomain"),
	CONSTRAINT "tenants_subdomain_format" CHECK ("tenants"."subdomain" ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$')
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password" text NOT NULL,
	"email" text NOT NULL,
	"first_name" text NOT NULL,
	"last_name" text NOT NULL,
	"role_id" integer NOT NULL,
	"manager_id" integer,
	"workspace_id" integer,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "users_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "users_not_own_manager" CHECK ("users"."manager_id" <> "users"."id"),
	CONSTRAINT "users_password_format" CHECK ("users"."password" ~ '^\$argon2id\$v=[0-9]+\$m=[0-9]+,t=[0-9]+,p=[0-9]+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$')
);
--> statement-breakpoint
CREATE TABLE "workspaces" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "workspaces_tenant_id_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "activity_types" (
	"id" serial PRIMARY KEY NOT NULL,
	"type_name" text NOT NULL,
	"description" text,
	"workspace_id" integer,
	"project_id" integer,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "activity_types_tenant_id_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "interest_levels" (
	"id" serial PRIMARY KEY NOT NULL,
	"level" text NOT NULL,
	"description" text,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "interest_levels_tenant_id_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "sales_pipelines" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"is_default" boolean DEFAULT false NOT NULL,
	"workspace_id" integer,
	"project_id" integer,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "sales_pipelines_tenant_id_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "sales_stages" (
	"id" serial PRIMARY KEY NOT NULL,
	"sale_pipeline_id" integer NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"order" integer NOT NULL,
	"workspace_id" integer,
	"project_id" integer,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "sales_stages_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "sales_stages_pipeline_order_key" UNIQUE("sale_pipeline_id","order"),
	CONSTRAINT "sales_stages_order_non_negative" CHECK ("sales_stages"."order" >= 0)
);
--> statement-breakpoint
CREATE TABLE "product_categories" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"color" text DEFAULT '#3b82f6' NOT NULL,
	"icon" text DEFAULT 'Package' NOT NULL,
	"workspace_id" integer,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "product_categories_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "product_categories_color_format" CHECK ("product_categories"."color" ~ '^#[0-9a-fA-F]{6}$')
);
--> statement-breakpoint
CREATE TABLE "product_offers" (
	"id" serial PRIMARY KEY NOT NULL,
	"product_id" integer NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"discount_type" text NOT NULL,
	"discount_value" numeric(10, 2) NOT NULL,
	"start_date" timestamp,
	"end_date" timestamp,
	"is_active" boolean DEFAULT true NOT NULL,
	"conditions" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "product_offers_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "product_offers_discount_type_check" CHECK ("product_offers"."discount_type" in ('percentage', 'fixed_amount')),
	CONSTRAINT "product_offers_discount_value_non_negative" CHECK ("product_offers"."discount_value" >= 0),
	CONSTRAINT "product_offers_percentage_max_100" CHECK ("product_offers"."discount_type" <> 'percentage' or "product_offers"."discount_value" <= 100),
	CONSTRAINT "product_offers_dates_ordered" CHECK ("product_offers"."end_date" >= "product_offers"."start_date"),
	CONSTRAINT "product_offers_conditions_object" CHECK (jsonb_typeof("product_offers"."conditions") = 'object')
);
--> statement-breakpoint
CREATE TABLE "product_types" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "product_types_tenant_id_id_key" UNIQUE("tenant_id","id")
);
--> statement-breakpoint
CREATE TABLE "products" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"sale_price" numeric(10, 2) NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"sku" text,
	"product_type_id" integer,
	"category_id" integer,
	"featured_photo" text,
	"is_featured" boolean DEFAULT false NOT NULL,
	"sales_pipeline_id" integer,
	"is_active" boolean DEFAULT true NOT NULL,
	"stock" integer DEFAULT 0 NOT NULL,
	"specifications" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"workspace_id" integer,
	"project_id" integer,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "products_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "products_sale_price_non_negative" CHECK ("products"."sale_price" >= 0),
	CONSTRAINT "products_stock_non_negative" CHECK ("products"."stock" >= 0),
	CONSTRAINT "products_currency_format" CHECK ("products"."currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "products_specifications_object" CHECK (jsonb_typeof("products"."specifications") = 'object')
);
--> statement-breakpoint
CREATE TABLE "activities" (
	"id" serial PRIMARY KEY NOT NULL,
	"subject" text NOT NULL,
	"description" text,
	"activity_type" text,
	"status" text DEFAULT 'planned' NOT NULL,
	"priority" text DEFAULT 'medium' NOT NULL,
	"due_date" date,
	"completed_date" date,
	"user_id" integer,
	"supervisor_id" integer,
	"contact_id" integer,
	"deal_id" integer,
	"workspace_id" integer,
	"project_id" integer,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "activities_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "activities_status_check" CHECK ("activities"."status" in ('planned', 'in_progress', 'completed', 'cancelled')),
	CONSTRAINT "activities_priority_check" CHECK ("activities"."priority" in ('low', 'medium', 'high', 'urgent'))
);
--> statement-breakpoint
CREATE TABLE "deals" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"description" text,
	"value" numeric(10, 2),
	"stage_id" integer,
	"probability" integer,
	"expected_close_date" date,
	"company_id" integer,
	"contact_id" integer,
	"product_id" integer,
	"interest_level_id" integer,
	"assigned_to_id" integer,
	"supervisor_id" integer,
	"workspace_id" integer,
	"project_id" integer,
	"tenant_id" integer NOT NULL,
	"created_at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "deals_tenant_id_id_key" UNIQUE("tenant_id","id"),
	CONSTRAINT "deals_probability_range" CHECK ("deals"."probability" between 0 and 100),
	CONSTRAINT "deals_value_non_negative" CHECK ("deals"."value" >= 0)
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" integer NOT NULL,
	"actor_id" integer,
	"resource" text NOT NULL,
	"record_id" integer NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"at" timestamp DEFAULT now() NOT NULL,
	CONSTRAINT "audit_log_action_check" CHECK ("audit_log"."action" in ('create', 'update', 'delete'))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"sid" varchar PRIMARY KEY NOT NULL,
	"sess" json NOT NULL,
	"expire" timestamp (6) NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agent_conversations" ADD CONSTRAINT "agent_conversations_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_conversations" ADD CONSTRAINT "agent_conversations_user_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_messages" ADD CONSTRAINT "agent_messages_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_messages" ADD CONSTRAINT "agent_messages_conversation_id_fk" FOREIGN KEY ("tenant_id","conversation_id") REFERENCES "public"."agent_conversations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_messages" ADD CONSTRAINT "agent_messages_user_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_messages" ADD CONSTRAINT "agent_messages_conversation_owner_fk" FOREIGN KEY ("tenant_id","conversation_id","user_id") REFERENCES "public"."agent_conversations"("tenant_id","id","user_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistant_conversations" ADD CONSTRAINT "assistant_conversations_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistant_conversations" ADD CONSTRAINT "assistant_conversations_assistant_id_fk" FOREIGN KEY ("tenant_id","assistant_id") REFERENCES "public"."assistants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistant_documents" ADD CONSTRAINT "assistant_documents_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistant_documents" ADD CONSTRAINT "assistant_documents_assistant_id_fk" FOREIGN KEY ("tenant_id","assistant_id") REFERENCES "public"."assistants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistant_messages" ADD CONSTRAINT "assistant_messages_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistant_messages" ADD CONSTRAINT "assistant_messages_conversation_id_fk" FOREIGN KEY ("tenant_id","conversation_id") REFERENCES "public"."assistant_conversations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistant_prospects" ADD CONSTRAINT "assistant_prospects_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistant_prospects" ADD CONSTRAINT "assistant_prospects_assistant_id_fk" FOREIGN KEY ("tenant_id","assistant_id") REFERENCES "public"."assistants"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistant_prospects" ADD CONSTRAINT "assistant_prospects_conversation_id_fk" FOREIGN KEY ("tenant_id","conversation_id") REFERENCES "public"."assistant_conversations"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistant_prospects" ADD CONSTRAINT "assistant_prospects_conversation_assistant_fk" FOREIGN KEY ("tenant_id","conversation_id","assistant_id") REFERENCES "public"."assistant_conversations"("tenant_id","id","assistant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistants" ADD CONSTRAINT "assistants_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assistants" ADD CONSTRAINT "assistants_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "companies_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "companies_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "companies" ADD CONSTRAINT "companies_project_id_fk" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE SET NULL ("project_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_company_id_fk" FOREIGN KEY ("tenant_id","company_id") REFERENCES "public"."companies"("tenant_id","id") ON DELETE SET NULL ("company_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_assigned_to_id_fk" FOREIGN KEY ("tenant_id","assigned_to_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE SET NULL ("assigned_to_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_supervisor_id_fk" FOREIGN KEY ("tenant_id","supervisor_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE SET NULL ("supervisor_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contacts" ADD CONSTRAINT "contacts_project_id_fk" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE SET NULL ("project_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_assigned_to_id_fk" FOREIGN KEY ("tenant_id","assigned_to_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE SET NULL ("assigned_to_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_assigned_by_id_fk" FOREIGN KEY ("tenant_id","assigned_by_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE SET NULL ("assigned_by_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_project_id_fk" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE SET NULL ("project_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_user_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE SET NULL ("user_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE SET NULL ("workspace_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roles" ADD CONSTRAINT "roles_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_role_id_fk" FOREIGN KEY ("tenant_id","role_id") REFERENCES "public"."roles"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_manager_id_fk" FOREIGN KEY ("tenant_id","manager_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE SET NULL ("manager_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workspaces" ADD CONSTRAINT "workspaces_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_types" ADD CONSTRAINT "activity_types_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_types" ADD CONSTRAINT "activity_types_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_types" ADD CONSTRAINT "activity_types_project_id_fk" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE SET NULL ("project_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "interest_levels" ADD CONSTRAINT "interest_levels_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_pipelines" ADD CONSTRAINT "sales_pipelines_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_pipelines" ADD CONSTRAINT "sales_pipelines_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_pipelines" ADD CONSTRAINT "sales_pipelines_project_id_fk" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE SET NULL ("project_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_stages" ADD CONSTRAINT "sales_stages_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_stages" ADD CONSTRAINT "sales_stages_sale_pipeline_id_fk" FOREIGN KEY ("tenant_id","sale_pipeline_id") REFERENCES "public"."sales_pipelines"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_stages" ADD CONSTRAINT "sales_stages_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sales_stages" ADD CONSTRAINT "sales_stages_project_id_fk" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE SET NULL ("project_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_categories" ADD CONSTRAINT "product_categories_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_categories" ADD CONSTRAINT "product_categories_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_offers" ADD CONSTRAINT "product_offers_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_offers" ADD CONSTRAINT "product_offers_product_id_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "product_types" ADD CONSTRAINT "product_types_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_product_type_id_fk" FOREIGN KEY ("tenant_id","product_type_id") REFERENCES "public"."product_types"("tenant_id","id") ON DELETE SET NULL ("product_type_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_category_id_fk" FOREIGN KEY ("tenant_id","category_id") REFERENCES "public"."product_categories"("tenant_id","id") ON DELETE SET NULL ("category_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_sales_pipeline_id_fk" FOREIGN KEY ("tenant_id","sales_pipeline_id") REFERENCES "public"."sales_pipelines"("tenant_id","id") ON DELETE SET NULL ("sales_pipeline_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "products" ADD CONSTRAINT "products_project_id_fk" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE SET NULL ("project_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_user_id_fk" FOREIGN KEY ("tenant_id","user_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE SET NULL ("user_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_supervisor_id_fk" FOREIGN KEY ("tenant_id","supervisor_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE SET NULL ("supervisor_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_contact_id_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE SET NULL ("contact_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_deal_id_fk" FOREIGN KEY ("tenant_id","deal_id") REFERENCES "public"."deals"("tenant_id","id") ON DELETE SET NULL ("deal_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_project_id_fk" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE SET NULL ("project_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_stage_id_fk" FOREIGN KEY ("tenant_id","stage_id") REFERENCES "public"."sales_stages"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_company_id_fk" FOREIGN KEY ("tenant_id","company_id") REFERENCES "public"."companies"("tenant_id","id") ON DELETE SET NULL ("company_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_contact_id_fk" FOREIGN KEY ("tenant_id","contact_id") REFERENCES "public"."contacts"("tenant_id","id") ON DELETE SET NULL ("contact_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_product_id_fk" FOREIGN KEY ("tenant_id","product_id") REFERENCES "public"."products"("tenant_id","id") ON DELETE SET NULL ("product_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_interest_level_id_fk" FOREIGN KEY ("tenant_id","interest_level_id") REFERENCES "public"."interest_levels"("tenant_id","id") ON DELETE SET NULL ("interest_level_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_assigned_to_id_fk" FOREIGN KEY ("tenant_id","assigned_to_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE SET NULL ("assigned_to_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_supervisor_id_fk" FOREIGN KEY ("tenant_id","supervisor_id") REFERENCES "public"."users"("tenant_id","id") ON DELETE SET NULL ("supervisor_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_workspace_id_fk" FOREIGN KEY ("tenant_id","workspace_id") REFERENCES "public"."workspaces"("tenant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deals" ADD CONSTRAINT "deals_project_id_fk" FOREIGN KEY ("tenant_id","project_id") REFERENCES "public"."projects"("tenant_id","id") ON DELETE SET NULL ("project_id") ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_tenant_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agent_conversations_user_id_idx" ON "agent_conversations" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "agent_conversations_user_updated_idx" ON "agent_conversations" USING btree ("tenant_id","user_id","updated_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "agent_messages_conversation_id_idx" ON "agent_messages" USING btree ("tenant_id","conversation_id");--> statement-breakpoint
CREATE INDEX "agent_messages_user_id_idx" ON "agent_messages" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "assistant_conversations_assistant_id_idx" ON "assistant_conversations" USING btree ("tenant_id","assistant_id");--> statement-breakpoint
CREATE INDEX "assistant_conversations_visitor_idx" ON "assistant_conversations" USING btree ("tenant_id","assistant_id","visitor_id");--> statement-breakpoint
CREATE INDEX "assistant_documents_assistant_id_idx" ON "assistant_documents" USING btree ("tenant_id","assistant_id");--> statement-breakpoint
CREATE INDEX "assistant_messages_conversation_id_idx" ON "assistant_messages" USING btree ("tenant_id","conversation_id");--> statement-breakpoint
CREATE INDEX "assistant_prospects_assistant_id_idx" ON "assistant_prospects" USING btree ("tenant_id","assistant_id");--> statement-breakpoint
CREATE INDEX "assistant_prospects_conversation_id_idx" ON "assistant_prospects" USING btree ("tenant_id","conversation_id");--> statement-breakpoint
CREATE INDEX "assistant_prospects_email_idx" ON "assistant_prospects" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE INDEX "assistants_workspace_id_idx" ON "assistants" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE INDEX "companies_workspace_id_idx" ON "companies" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE INDEX "companies_project_id_idx" ON "companies" USING btree ("tenant_id","project_id");--> statement-breakpoint
CREATE INDEX "companies_name_idx" ON "companies" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "companies_created_idx" ON "companies" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "contacts_company_id_idx" ON "contacts" USING btree ("tenant_id","company_id");--> statement-breakpoint
CREATE INDEX "contacts_assigned_to_id_idx" ON "contacts" USING btree ("tenant_id","assigned_to_id");--> statement-breakpoint
CREATE INDEX "contacts_supervisor_id_idx" ON "contacts" USING btree ("tenant_id","supervisor_id");--> statement-breakpoint
CREATE INDEX "contacts_workspace_id_idx" ON "contacts" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE INDEX "contacts_project_id_idx" ON "contacts" USING btree ("tenant_id","project_id");--> statement-breakpoint
CREATE INDEX "contacts_created_idx" ON "contacts" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "contacts_name_idx" ON "contacts" USING btree ("tenant_id","last_name","first_name");--> statement-breakpoint
CREATE INDEX "contacts_email_idx" ON "contacts" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE INDEX "leads_assigned_to_id_idx" ON "leads" USING btree ("tenant_id","assigned_to_id");--> statement-breakpoint
CREATE INDEX "leads_assigned_by_id_idx" ON "leads" USING btree ("tenant_id","assigned_by_id");--> statement-breakpoint
CREATE INDEX "leads_workspace_id_idx" ON "leads" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE INDEX "leads_project_id_idx" ON "leads" USING btree ("tenant_id","project_id");--> statement-breakpoint
CREATE INDEX "leads_created_idx" ON "leads" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "leads_email_idx" ON "leads" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE INDEX "events_user_id_idx" ON "events" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "events_workspace_id_idx" ON "events" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE INDEX "events_time_idx" ON "events" USING btree ("tenant_id","timestamp" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "events_event_properties_gin" ON "events" USING gin ("event_properties" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "projects_workspace_id_idx" ON "projects" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "roles_tenant_name_key" ON "roles" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE INDEX "users_role_id_idx" ON "users" USING btree ("tenant_id","role_id");--> statement-breakpoint
CREATE INDEX "users_manager_id_idx" ON "users" USING btree ("tenant_id","manager_id");--> statement-breakpoint
CREATE INDEX "users_workspace_id_idx" ON "users" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_tenant_username_key" ON "users" USING btree ("tenant_id",lower("username"));--> statement-breakpoint
CREATE UNIQUE INDEX "users_tenant_email_key" ON "users" USING btree ("tenant_id",lower("email"));--> statement-breakpoint
CREATE UNIQUE INDEX "workspaces_tenant_name_key" ON "workspaces" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE INDEX "activity_types_workspace_id_idx" ON "activity_types" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE INDEX "activity_types_project_id_idx" ON "activity_types" USING btree ("tenant_id","project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "interest_levels_tenant_level_key" ON "interest_levels" USING btree ("tenant_id",lower("level"));--> statement-breakpoint
CREATE INDEX "sales_pipelines_workspace_id_idx" ON "sales_pipelines" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE INDEX "sales_pipelines_project_id_idx" ON "sales_pipelines" USING btree ("tenant_id","project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sales_pipelines_one_default_key" ON "sales_pipelines" USING btree ("tenant_id",coalesce("workspace_id", 0)) WHERE "sales_pipelines"."is_default";--> statement-breakpoint
CREATE INDEX "sales_stages_sale_pipeline_id_idx" ON "sales_stages" USING btree ("tenant_id","sale_pipeline_id");--> statement-breakpoint
CREATE INDEX "sales_stages_workspace_id_idx" ON "sales_stages" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE INDEX "sales_stages_project_id_idx" ON "sales_stages" USING btree ("tenant_id","project_id");--> statement-breakpoint
CREATE INDEX "product_categories_workspace_id_idx" ON "product_categories" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE INDEX "product_offers_product_id_idx" ON "product_offers" USING btree ("tenant_id","product_id");--> statement-breakpoint
CREATE UNIQUE INDEX "product_types_tenant_name_key" ON "product_types" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE INDEX "products_product_type_id_idx" ON "products" USING btree ("tenant_id","product_type_id");--> statement-breakpoint
CREATE INDEX "products_category_id_idx" ON "products" USING btree ("tenant_id","category_id");--> statement-breakpoint
CREATE INDEX "products_sales_pipeline_id_idx" ON "products" USING btree ("tenant_id","sales_pipeline_id");--> statement-breakpoint
CREATE INDEX "products_workspace_id_idx" ON "products" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE INDEX "products_project_id_idx" ON "products" USING btree ("tenant_id","project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "products_tenant_sku_key" ON "products" USING btree ("tenant_id",lower("sku"));--> statement-breakpoint
CREATE INDEX "products_name_idx" ON "products" USING btree ("tenant_id","name");--> statement-breakpoint
CREATE INDEX "products_specifications_gin" ON "products" USING gin ("specifications" jsonb_path_ops);--> statement-breakpoint
CREATE INDEX "activities_user_id_idx" ON "activities" USING btree ("tenant_id","user_id");--> statement-breakpoint
CREATE INDEX "activities_supervisor_id_idx" ON "activities" USING btree ("tenant_id","supervisor_id");--> statement-breakpoint
CREATE INDEX "activities_contact_id_idx" ON "activities" USING btree ("tenant_id","contact_id");--> statement-breakpoint
CREATE INDEX "activities_deal_id_idx" ON "activities" USING btree ("tenant_id","deal_id");--> statement-breakpoint
CREATE INDEX "activities_workspace_id_idx" ON "activities" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE INDEX "activities_project_id_idx" ON "activities" USING btree ("tenant_id","project_id");--> statement-breakpoint
CREATE INDEX "activities_created_idx" ON "activities" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "activities_due_idx" ON "activities" USING btree ("tenant_id","due_date");--> statement-breakpoint
CREATE INDEX "deals_stage_id_idx" ON "deals" USING btree ("tenant_id","stage_id");--> statement-breakpoint
CREATE INDEX "deals_company_id_idx" ON "deals" USING btree ("tenant_id","company_id");--> statement-breakpoint
CREATE INDEX "deals_contact_id_idx" ON "deals" USING btree ("tenant_id","contact_id");--> statement-breakpoint
CREATE INDEX "deals_product_id_idx" ON "deals" USING btree ("tenant_id","product_id");--> statement-breakpoint
CREATE INDEX "deals_interest_level_id_idx" ON "deals" USING btree ("tenant_id","interest_level_id");--> statement-breakpoint
CREATE INDEX "deals_assigned_to_id_idx" ON "deals" USING btree ("tenant_id","assigned_to_id");--> statement-breakpoint
CREATE INDEX "deals_supervisor_id_idx" ON "deals" USING btree ("tenant_id","supervisor_id");--> statement-breakpoint
CREATE INDEX "deals_workspace_id_idx" ON "deals" USING btree ("tenant_id","workspace_id");--> statement-breakpoint
CREATE INDEX "deals_project_id_idx" ON "deals" USING btree ("tenant_id","project_id");--> statement-breakpoint
CREATE INDEX "deals_created_idx" ON "deals" USING btree ("tenant_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "deals_title_idx" ON "deals" USING btree ("tenant_id","title");--> statement-breakpoint
CREATE INDEX "deals_close_date_idx" ON "deals" USING btree ("tenant_id","expected_close_date");--> statement-breakpoint
CREATE INDEX "audit_log_record_idx" ON "audit_log" USING btree ("tenant_id","resource","record_id","at");--> statement-breakpoint
CREATE INDEX "audit_log_tenant_at_idx" ON "audit_log" USING btree ("tenant_id","at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sessions_expire_idx" ON "sessions" USING btree ("expire");