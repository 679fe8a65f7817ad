// The CRM's business actions, each one transaction through the scoped data layer (domain/scoped-data.ts).
export { convertLead, LEAD_CONVERTED_EVENT, type ConvertLeadOptions, type ConversionContext, type LeadConversion } from './convert-lead';
export { assignableUsers, assignLead, type Assignee } from './assign-lead';
export { moveDeal } from './move-deal';
export { boardFor, DEFAULT_PER_COLUMN, type Board, type BoardColumn } from './board';
export { completeActivity } from './complete-activity';
export { effectivePrice, type EffectivePrice, type OfferApplied } from './effective-price';
export { duplicatesOf, DUPLICATE_RESOURCES, type DuplicateResource, type Duplicates } from './duplicates';
export { defaultPipeline, firstStageOfDefaultPipeline } from './pipelines';
