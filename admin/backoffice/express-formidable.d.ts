// express-formidable (AdminJS's body parser, a peer of @adminjs/express) ships no types.
declare module 'express-formidable' {
  import type { RequestHandler } from 'express';
  export default function formidableMiddleware(options?: Record<string, unknown>): RequestHandler;
}
