export { ApiKeyStore, type ApiKeyStoreOptions, type ApiKeyInfo, type ImportResult, type VerifyFailure, type VerifyResult } from './store.ts';
export { TOKEN_PREFIX, generateToken, parseToken, hashSecret, isKeyId, type ParsedToken } from './token.ts';
