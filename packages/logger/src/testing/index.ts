export { findLeaks, SAFE_CORPUS, SECRET_CORPUS, type SafeSample, type SecretSample } from './secret-corpus.ts';
export { captureLines, type CapturedLines } from './capture.ts';
export { generatedSafeTexts, generatedSecrets } from './generated-corpus.ts';
