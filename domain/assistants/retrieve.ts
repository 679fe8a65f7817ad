// Retrieval over an assistant's knowledge base: its documents cut into passages, ranked by BM25 for a question.
import { Bm25Index } from './bm25';
import { passagesOf, type KnowledgeDocument, type Passage } from './knowledge';

export type ScoredPassage = Passage & { score: number };

export function retrieve(docs: Pick<KnowledgeDocument, 'id' | 'name' | 'type' | 'content' | 'isActive'>[], question: string, limit = 5): ScoredPassage[] {
  const passages = docs.filter((d) => d.isActive).flatMap(passagesOf);
  return new Bm25Index(passages, (p) => p.text)
    .search(question, limit)
    .map(({ item, score }) => ({ ...item, score }));
}
