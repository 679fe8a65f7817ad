// The Epesi Agent: questions about CRM data answered by tools that read through the scoped data layer as the
// asking user, in conversations private to that user.
export { ask, conversationsOf, conversationWithMessages, MAX_QUESTION, type AskInput, type AskResult } from './agent';
export { parseQuestion, type Entity, type Intent, type Owner, type Period, type Scope } from './intents';
export { countRecords, dealsByStage, filtersFor, listRecords, periodRange, runTool, topProductsByDealValue, type ToolResult } from './tools';
