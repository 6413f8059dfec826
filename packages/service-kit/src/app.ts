import express, { type Express } from 'express';
import { metricsHandler } from '@lookout/otel-bootstrap';
import { healthRoutes, type ReadyChecks } from './health.ts';
import { requestContext } from './request-context.ts';
import { errorHandler, notFound } from './errors.ts';

export interface ServiceAppOptions {
  /** The service name, as in OTEL_SERVICE_NAME. */
  name: string;
  /** Readiness checks by dependency name; /health/ready is 200 only when all resolve within 2 s. */
  ready?: ReadyChecks;
}

/**
 * An express app with request context, /health, /health/ready and /metrics mounted.
 * Add the service's routes, then call finishServiceApp() to add the 404 and error handlers.
 */
export function createServiceApp({ name, ready = {} }: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(requestContext);
  app.use(healthRoutes(name, ready));
  app.get('/metrics', (req, res) => metricsHandler(req, res));
  return app;
}

export function finishServiceApp(app: Express): Express {
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
