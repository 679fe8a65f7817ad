// What a website visitor may send to the public widget endpoint, checked field by field. Everything that is not
// exactly right is one 400 naming every field at fault; nothing unchecked reaches the database.
import { invalid } from '../errors';

export const MAX_MESSAGE = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A practical address check (the one browsers use for <input type=email>), at most 254 characters.
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;
const PHONE = /^\+?[0-9 ()./-]{5,40}$/;
// NUL cannot be stored in PostgreSQL text; other control characters (but tab and line breaks) have no place in a chat.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export interface LeadDetails {
  name: string;
  email: string;
  company: string | null;
  phone: string | null;
}

export type VisitorMessage =
  | { visitorId: string; type: 'text'; content: string }
  | { visitorId: string; type: 'lead_form'; content: string | null; lead: LeadDetails };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

class Checker {
  readonly errors: Record<string, string> = {};

  fail(field: string, message: string): undefined {
    this.errors[field] ??= message;
    return undefined;
  }

  /** Trimmed text of at most `max` characters; undefined (and an error when required) when absent or blank. */
  text(field: string, raw: unknown, max: number, required: boolean): string | undefined {
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
      return required ? this.fail(field, `${field} is required`) : undefined;
    }
    if (typeof raw !== 'string') return this.fail(field, `${field} must be text`);
    const value = raw.trim();
    if (value.length > max) return this.fail(field, `${field} must be at most ${max} characters`);
    if (CONTROL.test(value)) return this.fail(field, `${field} contains control characters`);
    return value;
  }

  only(where: string, value: Record<string, unknown>, allowed: string[]) {
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) this.fail(where ? `${where}.${key}` : key, `${where ? `${where}.` : ''}${key} is not a field of ${where || 'a widget message'} (expected ${allowed.join(', ')})`);
    }
  }

  done<T>(value: T): T {
    const fields = Object.keys(this.errors);
    if (fields.length) throw invalid(`Invalid message: ${fields.map((f) => this.errors[f]).join('; ')}`, this.errors);
    return value;
  }
}

/** The visitor id a widget keeps (a UUID), or a 400. */
export function parseVisitorId(raw: unknown): string {
  const c = new Checker();
  const id = typeof raw === 'string' ? raw.trim() : raw;
  if (id === undefined || id === null || id === '') c.fail('visitorId', 'visitorId is required');
  else if (typeof id !== 'string' || !UUID.test(id)) c.fail('visitorId', 'visitorId must be a UUID (the widget keeps one per visitor)');
  return c.done(String(id).toLowerCase());
}

/** A message from the widget: { visitorId, type?: 'text' | 'lead_form', content?, lead?: { name, email, company?, phone? } }. */
export function parseVisitorMessage(body: unknown): VisitorMessage {
  if (!isObject(body)) throw invalid('The request body must be a JSON object: { visitorId, content } or { visitorId, type: "lead_form", lead }');
  const c = new Checker();
  c.only('', body, ['visitorId', 'type', 'content', 'lead']);
  let visitorId = '';
  try {
    visitorId = parseVisitorId(body.visitorId);
  } catch {
    c.fail('visitorId', body.visitorId === undefined || body.visitorId === '' ? 'visitorId is required' : 'visitorId must be a UUID (the widget keeps one per visitor)');
  }
  const type = body.type ?? 'text';
  if (type !== 'text' && type !== 'lead_form') c.fail('type', 'type must be one of: text, lead_form');
  if (type === 'lead_form') {
    const content = c.text('content', body.content, MAX_MESSAGE, false) ?? null;
    if (!isObject(body.lead)) {
      c.fail('lead', 'lead must be an object { name, email, company?, phone? }');
      return c.done(null as never);
    }
    const lead = body.lead;
    c.only('lead', lead, ['name', 'email', 'company', 'phone']);
    const name = c.text('lead.name', lead.name, 200, true);
    const email = c.text('lead.email', lead.email, 254, true);
    if (email !== undefined && !EMAIL.test(email)) c.fail('lead.email', 'lead.email must be an email address');
    const company = c.text('lead.company', lead.company, 200, false) ?? null;
    const phone = c.text('lead.phone', lead.phone, 40, false) ?? null;
    if (phone !== null && !PHONE.test(phone)) c.fail('lead.phone', 'lead.phone must be a phone number (digits, spaces, + ( ) . / -)');
    return c.done({ visitorId, type, content, lead: { name: name!, email: email!.toLowerCase(), company, phone } });
  }
  const content = c.text('content', body.content, MAX_MESSAGE, true);
  return c.done({ visitorId, type: 'text', content: content! });
}
