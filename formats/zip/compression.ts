/**
 * Extensions whose content is already compressed: deflating them again costs time and saves nothing,
 * so they are stored. Lower-case, without the dot.
 */
export const STORED_EXTENSIONS: ReadonlySet<string> = new Set([
  // video and audio
  'mp4',
  'm4v',
  'mov',
  'webm',
  'mkv',
  'avi',
  'ogv',
  'mp3',
  'm4a',
  'aac',
  'ogg',
  'oga',
  'opus',
  'flac',
  'wma',
  'wmv',
  // images
  'jpg',
  'jpeg',
  'png',
  'gif',
  'webp',
  'avif',
  'heic',
  'jxl',
  // fonts
  'woff',
  'woff2',
  // archives and compressed documents
  'zip',
  'gz',
  'tgz',
  'bz2',
  'xz',
  'zst',
  'br',
  '7z',
  'rar',
  'jar',
  'docx',
  'xlsx',
  'pptx',
  'epub',
  'pdf',
]);

/** Whether a file at `path` is stored rather than deflated. */
export function isStored(path: string): boolean {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  if (dot <= slash + 1) return false;
  return STORED_EXTENSIONS.has(path.slice(dot + 1).toLowerCase());
}
