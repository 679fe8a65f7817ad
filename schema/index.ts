// The schema: the single source of truth for tables, constraints, types and migrations.
export * from './tables/organization';
export * from './tables/customers';
export * from './tables/pipelines';
export * from './tables/products';
export * from './tables/sales';
export * from './tables/events';
export * from './tables/assistants';
export * from './tables/analytics';
export { isEmailColumn, isSystemField, rulesFor, secretColumns, SYSTEM_FIELDS, type OnDelete, type SystemField } from './columns';
export * from './tables/system';
