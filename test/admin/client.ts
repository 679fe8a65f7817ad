// A client for AdminJS's own HTTP API, as its browser app uses it: form posts, flattened params, a cookie.
// (bundle-dir before adminjs: it tells AdminJS never to bundle, whichever of the two a test imports first.)
import '../../admin/backoffice/bundle-dir';
import { flat } from 'adminjs';

export class AdminClient {
  cookie = '';
  constructor(readonly base: string) {}

  /** The sign-in page's form token and its cookie, as a browser gets them by opening the page. */
  async loginForm(): Promise<{ token: string; cookie: string }> {
    const page = await fetch(`${this.base}/admin/login`, { headers: this.cookie ? { cookie: this.cookie } : {} });
    const token = /"csrfToken":"([^"]+)"/.exec(await page.text())?.[1] ?? '';
    return { token, cookie: (page.headers.get('set-cookie') ?? '').split(';')[0]! };
  }

  /** Signs in through the sign-in form (with the page's token, from this site's origin, with the cookie held so far). */
  async login(tenant: string, login: string, password = 'demo1234') {
    const { token, cookie } = await this.loginForm();
    const form = new FormData();
    form.set('tenant', tenant);
    form.set('email', login);
    form.set('password', password);
    form.set('_csrf', token);
    const headers = { origin: this.base, cookie: [this.cookie, cookie].filter(Boolean).join('; ') };
    const res = await fetch(`${this.base}/admin/login`, { method: 'POST', body: form, headers, redirect: 'manual' });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    return res;
  }

  async get(path: string) {
    const res = await fetch(`${this.base}/admin/api${path}`, { headers: { cookie: this.cookie }, redirect: 'manual' });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  }

  /** POST a record the way AdminJS forms do: multipart, nested values flattened, JSON as text. */
  async post(path: string, values: Record<string, unknown> = {}) {
    const form = new FormData();
    const prepared = Object.fromEntries(
      Object.entries(values).map(([k, v]) => [k, v && typeof v === 'object' && !Array.isArray(v) ? JSON.stringify(v) : v]),
    );
    for (const [k, v] of Object.entries(flat.flatten(prepared) as Record<string, unknown>)) form.set(k, v === null ? '' : String(v));
    const res = await fetch(`${this.base}/admin/api${path}`, { method: 'POST', body: form, headers: { cookie: this.cookie, origin: this.base }, redirect: 'manual' });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  }
}
