// Input validation derived from the Drizzle columns: types, enums, required fields, unknown fields.
// Values come back in the form the driver expects (numbers, Date, strings for NUMERIC and DATE).
import type { PgColumn } from 'drizzle-orm/pg-core';
import { invalid } from './errors';
import { jsonProblem, maxTextLength } from './limits';
import type { Resource } from './resources';
import { isEmailColumn, isSystemField } from '../schema';

type ColumnInfo = PgColumn & { enumValues?: readonly string[]; precision?: number; scale?: number };

const INT4 = 2_147_483_647;
// The WHATWG "valid email address" (what a browser's <input type="email"> accepts): one rule for form, API and import.
const EMAIL = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
// PostgreSQL stores no NUL character in text, nor \u0000 in jsonb (keys included): the database would refuse the
// statement, a 500. One check of every value as it will be stored (JSON text parsed) covers every write path;
// JSON values are checked (NUL, depth, size) by jsonProblem as they are parsed.
const NUL_MESSAGE = 'must not contain the NUL character (\\u0000)';
const hasNul = (v: unknown): boolean => (typeof v === 'string' ? v.includes('\u0000') : Array.isArray(v) && v.some(hasNul));
const tooLong = (max: number) => `must be at most ${max.toLocaleString('en')} characters`;

/** Converts one input value, or returns an error message for the field; `maxLength`: of text (and of each text in a list). */
function coerce(col: ColumnInfo, raw: unknown, maxLength: number): { value: unknown } | { error: string } {
  if (isBlank(raw) && col.columnType !== 'PgJsonb') {
    return col.notNull ? { error: 'is required' } : { value: null };
  }
  switch (col.columnType) {
    case 'PgInteger':
    case 'PgSerial':
    case 'PgBigSerial53': {
      const n = typeof raw === 'string' ? Number(raw.trim()) : raw;
      if (typeof n !== 'number' || !Number.isInteger(n) || Math.abs(n) > (col.columnType === 'PgBigSerial53' ? Number.MAX_SAFE_INTEGER : INT4)) {
        return { error: 'must be a whole number' };
      }
      return { value: n };
    }
    case 'PgNumeric': {
      const text = typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
      const scale = col.scale ?? 2;
      const whole = (col.precision ?? 10) - scale;
      if (!new RegExp(`^-?\\d{1,${whole}}(\\.\\d{1,${scale}})?$`).test(text)) {
        return { error: `must be a number with at most ${whole} digits before and ${scale} after the decimal point` };
      }
      return { value: text };
    }
    case 'PgBoolean':
      if (raw === true || raw === 'true') return { value: true };
      if (raw === false || raw === 'false') return { value: false };
      return { error: 'must be true or false' };
    case 'PgText':
    case 'PgVarchar': {
      if (typeof raw !== 'string') return { error: 'must be text' };
      const values = col.enumValues;
      if (values?.length && !values.includes(raw)) return { error: `must be one of: ${values.join(', ')}` };
      if (raw.length > maxLength) return { error: tooLong(maxLength) };
      if (isEmailColumn(col.name) && !EMAIL.test(raw.trim())) return { error: 'must be an email address, like name@example.com' };
      return { value: isEmailColumn(col.name) ? raw.trim() : raw };
    }
    case 'PgJsonb':
    case 'PgJson': {
      if (isBlank(raw)) return col.notNull ? { value: {} } : { value: null };
      let v = raw;
      if (typeof raw === 'string') {
        try {
          v = JSON.parse(raw);
        } catch (err) {
          return { error: `is not valid JSON (${(err as Error).message})` };
        }
      }
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return { error: 'must be a JSON object' };
      const problem = jsonProblem(v);
      return problem ? { error: problem } : { value: v };
    }
    case 'PgArray': {
      let list = raw;
      if (typeof raw === 'string') list = raw.trim().startsWith('[') ? safeJson(raw) : raw.split(',').map((x) => x.trim()).filter(Boolean);
      if (!Array.isArray(list) || list.some((x) => typeof x !== 'string')) return { error: 'must be a list of text values' };
      if (list.some((x) => (x as string).length > maxLength)) return { error: `each value ${tooLong(maxLength)}` };
      return { value: [...new Set(list as string[])] };
    }
    case 'PgDateString': {
      // (AdminJS turns a form's date into a Date, an Invalid Date for garbage: toISOString would throw.)
      const text = typeof raw === 'string' ? raw.trim().slice(0, 10) : raw instanceof Date && !Number.isNaN(raw.getTime()) ? raw.toISOString().slice(0, 10) : '';
      const d = new Date(`${text}T00:00:00Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== text) {
        return { error: 'must be a date (YYYY-MM-DD)' };
      }
      return { value: text };
    }
    case 'PgTimestamp': {
      const d = raw instanceof Date ? raw : typeof raw === 'string' || typeof raw === 'number' ? new Date(raw) : new Date(NaN);
      if (Number.isNaN(d.getTime())) return { error: 'must be a date and time' };
      return { value: d };
    }
    default:
      return { error: `cannot be written (${col.columnType})` };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}


export function requiredOnCreate(resource: Resource): string[] {
  return [...resource.columns.values()]
    .filter((c) => c.notNull && !c.hasDefault && !isSystemField(c.name) /* the system sets them */)
    .map((c) => c.name);
}

/**
 * Validates a create or update payload (keys are column names). Unknown fields and bad values are reported
 * together, field by field, as one 400.
 */
export function validateInput(resource: Resource, input: Record<string, unknown>, mode: 'create' | 'update'): Record<string, unknown> {
  const errors: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries(input)) {
    const col = resource.columns.get(field) as ColumnInfo | undefined;
    if (!col) {
      errors[field] = `is not a field of ${resource.name}`;
      continue;
    }
    const coerced = coerce(col, raw, maxTextLength(resource.table, col));
    const result = 'value' in coerced && hasNul(coerced.value) ? { error: NUL_MESSAGE } : coerced;
    if ('error' in result) errors[field] = `${field} ${result.error}`;
    else values[field] = result.value;
  }
  if (mode === 'create') {
    for (const field of requiredOnCreate(resource)) {
      if (!(field in values) && !errors[field]) errors[field] = `${field} is required`;
    }
  }
  const bad = Object.keys(errors);
  if (bad.length) {
    throw invalid(`Invalid ${resource.name}: ${bad.map((f) => errors[f]!.startsWith(f) ? errors[f] : `${f} ${errors[f]}`).join('; ')}`, errors);
  }
  return values;
}
