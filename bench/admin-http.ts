// Signed-in GETs of an AdminJS API, the way a browser sends them, for bench:admin (the project and stock AdminJS).
import http from 'node:http';

/**
 * Signs in through an AdminJS login form (fields as given), as a browser does: the form's page first (the
 * project's sets a signed CSRF cookie and puts the same token in the form, admin/csrf.ts; stock AdminJS sets
 * none), then the post with the page's Origin. The session cookie.
 */
export async function adminLogin(base: string, fields: Record<string, string>): Promise<string> {
  const page = await fetch(`${base}/admin/login`);
  const csrf = page.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('epesi.csrf='));
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (csrf) form.set('_csrf', csrf.slice('epesi.csrf='.length));
  const headers: Record<string, string> = { origin: new URL(base).origin, ...(csrf ? { cookie: csrf } : {}) };
  const res = await fetch(`${base}/admin/login`, { method: 'POST', body: form, redirect: 'manual', headers });
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => !c.startsWith('epesi.csrf='));
  if (res.status !== 302 || !cookie) throw new Error(`AdminJS login at ${base} as ${JSON.stringify({ ...fields, password: '…' })} failed: ${res.status}`);
  return cookie;
}

/**
 * GET `${base}${prefix}${path}` (the AdminJS API by default) through node:http on a kept-alive connection of its own: Node's fetch (undici)
 * spent about a millisecond of this process's CPU per request, which the timing would have charged to the app.
 * Rejects unless the status is `expect` (200 by default).
 */
export function apiClient(base: string, cookie: string, prefix = '/admin/api') {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string, expect = 200): Promise<any> =>
    new Promise((done, fail) => {
      const req = http.get(`${base}${prefix}${path}`, { agent, headers: { cookie } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== expect) return fail(new Error(`GET ${base}${path}: ${res.statusCode} ${text.slice(0, 300)}`));
          try {
            done(JSON.parse(text));
          } catch {
            fail(new Error(`GET ${base}${path}: not JSON: ${text.slice(0, 200)}`));
          }
        });
        res.on('error', fail);
      });
      req.on('error', fail);
    });
  return { get, close: () => agent.destroy() };
}
