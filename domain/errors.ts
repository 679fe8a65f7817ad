// The errors the domain raises. The HTTP layer maps kind -> status; messages are for the person asking,
// never SQL text or stack traces.
export type ErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'too_many' | 'unavailable';

export const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  too_many: 429,
  unavailable: 503,
};

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    /** Field name -> message, for forms. */
    readonly fields: Record<string, string> = {},
    /** Seconds after which a retry may succeed (429, 503): the HTTP layer sends it as Retry-After. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
  get status() {
    return STATUS[this.kind];
  }
}

export const invalid = (message: string, fields?: Record<string, string>) => new DomainError('invalid', message, fields);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const notFound = (resource: string, id?: unknown) =>
  new DomainError('not_found', id === undefined ? `No such ${resource}` : `${resource} #${String(id)} not found`);
export const conflict = (message: string, fields?: Record<string, string>) => new DomainError('conflict', message, fields);
