export { createMcpApp, parseJsonRpcBody, SERVER_INFO, type McpAppOptions } from './server.ts';
export { loadConfig, ConfigError, type McpServerConfig } from './config.ts';
export { createReviewerClient, ReviewerError, type ReviewerClient, type ReviewResponse } from './reviewer-client.ts';
export { bearerToken, challenge } from './auth.ts';
export type { ToolDeps, Caller } from './tools/index.ts';
