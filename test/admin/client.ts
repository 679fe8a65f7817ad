// A client for AdminJS's own HTTP API, as its browser app uses it: form posts, flattened params, a cookie.
// (bundle-dir before adminjs: adminjs reads its bundle folder when it loads, and a test that imports this client
// before the app would otherwise get ./.adminjs, whose stale bundle a later run serves as it is.)
import '../../admin/backoffice/bundle-dir';
import { flat } from 'adminjs';

export class AdminClient {
  cookie = '';
  constructor(readonly base: string) {}

  async login(tenant: string, login: string, password = 'demo1234') {
    const form = new FormData();
    form.set('tenant', tenant);
    form.set('email', login);
    form.set('password', password);
    const res = await fetch(`${this.base}/admin/login`, { method: 'POST', body: form, redirect: 'manual' });
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
    const res = await fetch(`${this.base}/admin/api${path}`, { method: 'POST', body: form, headers: { cookie: this.cookie }, redirect: 'manual' });
    return { status: res.status, body: (await res.json().catch(() => null)) as any };
  }
}
