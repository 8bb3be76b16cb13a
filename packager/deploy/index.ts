export type {
  CollectedFile,
  CollectOptions,
  CollectResult,
  SkippedEntry,
  SkipReason,
} from './collect.js';
export { collectFiles } from './collect.js';
export type { PutFileError, PutFileOptions } from './put-file.js';
export { putFile } from './put-file.js';
export type {
  RetryInfo,
  SendContext,
  UploadItem,
  UploadOptions,
  UploadProgress,
  UploadResult,
} from './upload.js';
export { backoffDelay, isRetryableError, uploadFiles } from './upload.js';
