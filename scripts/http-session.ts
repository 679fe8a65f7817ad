// A signed-in HTTP client of the app as a separate process (tests and benchmarks): a cookie, a time limit per
// request, and the header a TLS-terminating proxy adds (production sets secure cookies and trusts one proxy).
export interface Reply {
  status: number;
  body: any;
  headers: Headers;
  ms: number;
}

export class HttpSession {
  cookie = '';
  constructor(
    readonly base: string,
    private readonly timeoutMs = 30_000,
    /** Sent with every request (e.g. X-Forwarded-For: the client's address as the proxy reports it). */
    private readonly headers: Record<string, string> = {},
  ) {}

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
    const started = performance.now();
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        accept: 'application/json',
        'x-forwarded-proto': 'https',
        ...(this.cookie && { cookie: this.cookie }),
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...this.headers,
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed, headers: res.headers, ms: performance.now() - started };
  }

  login(tenant: string, login: string, password = 'demo1234'): Promise<Reply> {
    return this.call('POST', '/auth/login', { tenant, login, password });
  }
}
