// The HTTP application: everything a browser or API client reaches. Services are passed in, never created
// here, so tests run the same app against their own databases.
import express from 'express';
import { healthHandler, type HealthDeps } from './health';

export type AppDeps = HealthDeps;

export function createApp(deps: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.get('/health', healthHandler(deps));
  return app;
}
