export { contentTypeFor, DEFAULT_CONTENT_TYPE } from './content-types.js';
export type { StorageOptions } from './factory.js';
export { createStorage } from './factory.js';
export type { FsStorageOptions } from './fs.js';
export { createFsStorage } from './fs.js';
export { isValidKey, keyToUrlPath, normalizeKey, normalizePrefix } from './keys.js';
export type { S3PresignTarget } from './presign-s3.js';
export { presignS3Put } from './presign-s3.js';
export type { R2StorageOptions } from './r2.js';
export { createR2Storage } from './r2.js';
export type { S3StorageOptions } from './s3.js';
export { createS3Storage } from './s3.js';
export type {
  ByteRange,
  GetResult,
  ListItem,
  ListOptions,
  ListPage,
  ObjectInfo,
  PresignedPut,
  PresignPutOptions,
  PutOptions,
  Storage,
  StorageBody,
} from './types.js';
export type { UploadAppDeps } from './upload-app.js';
export { createUploadApp } from './upload-app.js';
export type { UploadGrant, UploadPresignConfig } from './upload-signature.js';
export { presignUpload, signUpload, verifyUpload } from './upload-signature.js';
