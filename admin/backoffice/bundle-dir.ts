// AdminJS bundles nothing in a running app: the pages load the scripts admin/backoffice/frontend-assets.ts
// serves (our components bundled by scripts/bundle-components.ts at build time, or once per change from the
// sources). Without this, AdminJS in production would bundle the components again at each start.
// Imported before adminjs (the bundler reads the variable when its initialize() runs).
process.env.ADMIN_JS_SKIP_BUNDLE ??= 'true';
