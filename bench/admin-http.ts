// Signed-in GETs of an AdminJS API, the way a browser sends them, for bench:admin (the project and stock AdminJS).
import http from 'node:http';

/**
 * Signs in through an AdminJS login form (fields as given) as a browser does: the page first (the project's
 * form carries a token tied to the cookie it sets), then the form from the site's own origin; the session cookie.
 */
export async function adminLogin(base: string, fields: Record<string, string>): Promise<string> {
  const page = await fetch(`${base}/admin/login`);
  const token = /"csrfToken":"([^"]+)"/.exec(await page.text())?.[1];
  const pageCookie = page.headers.get('set-cookie')?.split(';')[0];
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  if (token) form.set('_csrf', token);
  const headers: Record<string, string> = { origin: base, ...(pageCookie ? { cookie: pageCookie } : {}) };
  const res = await fetch(`${base}/admin/login`, { method: 'POST', body: form, headers, redirect: 'manual' });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (res.status !== 302 || !cookie) throw new Error(`AdminJS login at ${base} as ${JSON.stringify({ ...fields, password: '…' })} failed: ${res.status}`);
  return cookie;
}

/**
 * GET `${base}/admin/api${path}` through node:http on a kept-alive connection of its own: Node's fetch (undici)
 * spent about a millisecond of this process's CPU per request, which the timing would have charged to the app.
 * Rejects unless the status is `expect` (200 by default).
 */
export function apiClient(base: string, cookie: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (path: string, expect = 200): Promise<any> =>
    new Promise((done, fail) => {
      const req = http.get(`${base}/admin/api${path}`, { agent, headers: { cookie } }, (res) => {
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
