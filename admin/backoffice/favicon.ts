// The tab icon (a 64x64 PNG: the brand's blue square with an E), served at /favicon.png, which every page names,
// and at /favicon.ico, which browsers ask for on their own: a 404 there was a failed request on every cold
// load. Inlined, so that the compiled app (dist/) needs no file copied beside it.
import type { RequestHandler } from 'express';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAYAAACqaXHeAAAC0ElEQVR4nOybTUhUURTH/+e+yZCCoMjEVYuicfwY2/RF6Fi7gj7FkMooItq2LyrbtGgVtIsIIrCSisC2jrMI3NSM5ihCEUGiLRIXfaLvdO6rEb/KjJEZ37k/mDPv3vsevPM/975z7+JE8A/UNvbvJR/7QNgGRoX8byDQKhQRDP4sZlTebViaPWCvM9Md7VroOfrjSIIjcWTPEtMluasCyxHGMDNdzZjoHSRpYr5b5hGATW1ioNkw2mR0M0IAM4YIfDHdHesQl3n62BwB4vX9zUR0V0ZKESaYv/jstfSmos+md88QIF4/cEQEekQEgxAiM8EX05JJVT3M9U0JUFM/UOMR94Qu8rNhfAX5u9LJ6rRt/o40G4/89tA7bxEfGeae9dk2AxNPZM+BKAYlyLSvDny217HE69UlbN5K73oogpk/fpvwNpkSeE3anLdIpisrXcFHI6JFAkqRpLBDBMBGKEW281HVAsiWsNxYA6VINiiPiFkJvayJYAloPbYOF86XIZ+MjU9iz6Eh5JtQ7vkXgxMAynECQDlLkgUW4n7HJ9y4NYpiwC0BKMcJAOW4LIACcLxpbfBbDIdPvcG79z+Qb9wSgHKcAFCOywIoAO4sUEQ4AaAcJwCU49IgCsD/HIYs12+O4MGTMeQTtwSgHCcAlKNeAKpLZBmKcUsAynECyAfgO/QybggYgVIk+CN2BqgVwAZfvgGchl7SMgO8p1CKD7QHFSPxhuxLImyFKjiTTlbVBWlQnG+DOuhKYHNNXbPgV/Tt1dRGyBjvdFBQFHbEx0nfnMw1pwR41bUl45NpRYixZXPMdKIvVdmX65uxFe5NRjt83xy0RYYIGxJ5MjiQSVU+nt495yxgKytFqd223BQhISidNd7OdFesc/bY34un/cEzRHx5WRdPE1/LIHZ7EcXTc4k3DDaCJvfL5faiL58HfZD3e+H7eN6XiqUWeu4nAAAA//9zhWSGAAAABklEQVQDAF+y4NbSGNrpAAAAAElFTkSuQmCC',
  'base64',
);

export const FAVICON_PATH = '/favicon.png';

export const favicon: RequestHandler = (_req, res) => {
  res.set({ 'Content-Type': 'image/png', 'Cache-Control': 'public, max-age=86400' }).end(PNG);
};
