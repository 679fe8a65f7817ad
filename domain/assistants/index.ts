// AI assistants embedded on websites: public key and embed code, the public widget service (conversations,
// messages, lead capture), the knowledge base (documents, sync, BM25 retrieval) and the reply providers.
export { Bm25Index, tokenize } from './bm25';
export { assistantEmbed, embedCode, findAssistantByKey, publicUrl, rotatePublicKey, type Embed, type PublicAssistant } from './embed';
export { buildDocument, freshDocuments, isStale, passagesOf, type KnowledgeDocument, type Passage } from './knowledge';
export { captureLead, leadQuality, nextAssignee, LEAD_SCORE, type LeadQuality } from './lead-capture';
export { parseVisitorId, parseVisitorMessage, MAX_MESSAGE, type LeadDetails, type VisitorMessage } from './payload';
export {
  FallbackProvider, OfflineResponder, OpenAiCompatibleProvider, providerFromConfig, systemMessage,
  type Reply, type ReplyInput, type ReplyProvider,
} from './providers';
export { retrieve, type ScoredPassage } from './retrieve';
export { syncKnowledge } from './sync';
export { WidgetService, type PublicMessage, type WidgetConfig } from './widget';
