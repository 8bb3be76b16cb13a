export type {
  CollectedFile,
  CollectOptions,
  CollectResult,
  SkippedEntry,
  SkipReason,
} from './collect.js';
export { collectFiles } from './collect.js';
export { describeCause, failureCode, failureHost } from './failure-cause.js';
export type { PutFileError, PutFileOptions } from './put-file.js';
export { putFile } from './put-file.js';
export type { RetryPolicy, RetryState } from './retry-policy.js';
export {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableError,
  parseRetryAfter,
  retryDelay,
} from './retry-policy.js';
export type {
  SendContext,
  UploadItem,
  UploadOptions,
  UploadProgress,
  UploadResult,
  UploadRetryInfo,
} from './upload.js';
export { uploadFiles } from './upload.js';
export type { RetryInfo, WithRetriesOptions } from './with-retries.js';
export { withRetries } from './with-retries.js';
