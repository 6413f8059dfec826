export { createServiceApp, finishServiceApp, type ServiceAppOptions } from './app.ts';
export { healthRoutes, type ReadyChecks } from './health.ts';
export { requestContext } from './request-context.ts';
export { bodyErrorAnswer, HttpError, errorBody, errorHandler, notFound, requireJson, type BodyErrorAnswer } from './errors.ts';
export { listen, type ListenOptions, type RunningService } from './listen.ts';
export { ConfigError, DEFAULT_REDIS_URL, envVar, parseEnv } from './env.ts';
