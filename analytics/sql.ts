// Building ClickHouse SQL on the client. ClickHouse 18.16 has no server-side query parameters (Code 62 / 115),
// so every value is escaped here and every identifier comes from a whitelist. Nothing else may splice text
// into a query: each query file builds its SQL from these helpers only.

/** A string literal: backslash and quote escaped (ClickHouse's quoted-string rules), NUL spelled out. */
export function str(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\0/g, '\\0')}'`;
}

/** A finite number literal. */
export function num(value: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`not a finite number: ${String(value)}`);
  return String(value);
}

/** A non-negative whole number (ids, limits, seconds). */
export function uint(value: number): string {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`not a non-negative integer: ${String(value)}`);
  return String(value);
}

/** A point in time as toDateTime(<unix seconds>): never a date string (18.16 mis-compares those against toDate keys). */
export function dateTime(value: Date): string {
  const seconds = Math.floor(value.getTime() / 1000);
  if (!Number.isSafeInteger(seconds) || seconds < 0 || seconds > 4_294_967_295) throw new Error(`time out of range: ${String(value)}`);
  return `toDateTime(${seconds})`;
}

/** An identifier, only if the whitelist holds it. */
export function ident(name: string, whitelist: readonly string[]): string {
  if (!whitelist.includes(name)) throw new Error(`identifier not allowed: ${name}`);
  return name;
}

/** `expr IN (a, b, c)` of already-escaped literals; an empty list matches nothing. */
export function isIn(expr: string, literals: readonly string[]): string {
  return literals.length ? `${expr} IN (${literals.join(', ')})` : '0';
}
