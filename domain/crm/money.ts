// Money as the database keeps it (NUMERIC(10,2), read as exact strings), computed in integer cents (BigInt):
// no floating point between reading a price and writing one.
import { invalid } from '../errors';

/** '189.00' (or '189', '189.5', 189) -> 18900n. */
export function toCents(amount: string | number): bigint {
  const text = typeof amount === 'number' ? String(amount) : amount.trim();
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw invalid(`${text} is not an amount of money`);
  const cents = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0'));
  return m[1] ? -cents : cents;
}

/** 18900n -> '189.00'. */
export function fromCents(cents: bigint): string {
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** `percent` (up to two decimals, e.g. '12.50') of `cents`, rounded half up to the cent (for non-negative amounts). */
export function percentOf(cents: bigint, percent: string | number): bigint {
  const basisPoints = toCents(percent); // '12.50' % -> 1250 hundredths of a percent
  return (cents * basisPoints + 5_000n) / 10_000n;
}
