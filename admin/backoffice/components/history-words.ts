// History and audit entries in words (RecordHistory, the audit log's screens): labels, titles, JSON as the keys
// that changed, and one date format, the one AdminJS shows dates in (YYYY-MM-DD HH:mm, the browser's time zone).

const pad = (n: number) => String(n).padStart(2, '0');
export const auditDate = (iso: string) => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** The form's label of a field, or the same rule as admin/backoffice/labels.ts: "assigned_to_id" -> "Assigned to". */
export const labelFor = (field: string, translated?: unknown) =>
  typeof translated === 'string' && translated && translated !== field
    ? translated
    : field.replace(/_id$/, '').replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export const valueText = (v: unknown): string => {
  if (v === null || v === undefined || v === '') return '(empty)';
  if (typeof v === 'string' && ISO.test(v)) return auditDate(v);
  if (Array.isArray(v)) return v.map(valueText).join(', ') || '(none)';
  if (isObject(v)) return Object.entries(v).map(([k, x]) => `${k}: ${valueText(x)}`).join('; ') || '(none)';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return String(v);
};

/** JSON objects: only the keys that changed, each "key: before → after". */
function objectDiff(before: Record<string, unknown>, after: Record<string, unknown>): string {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return keys.map((k) => (!(k in before) ? `${k} added: ${valueText(after[k])}` : !(k in after) ? `${k} removed` : `${k}: ${valueText(before[k])} → ${valueText(after[k])}`)).join('; ');
}

/** One field's change: a created or deleted value, or "before → after" (titles for references, a diff for JSON). */
export function changeText(action: 'create' | 'update' | 'delete', [before, after]: [unknown, unknown], titles?: [string | null, string | null]): string {
  const b = titles && before !== null && before !== undefined ? (titles[0] ?? `#${String(before)}`) : valueText(before);
  const a = titles && after !== null && after !== undefined ? (titles[1] ?? `#${String(after)}`) : valueText(after);
  if (action === 'create') return a;
  if (action === 'delete') return b;
  if (isObject(before) && isObject(after)) return objectDiff(before, after);
  if (after === '[changed]') return 'changed';
  return `${b} → ${a}`;
}
