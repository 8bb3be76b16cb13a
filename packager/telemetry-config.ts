import { Readable } from 'node:stream';
import { PACKAGE_TELEMETRY_ELEMENT_ID, type PackageTelemetryConfig } from '../protocol/telemetry.js';
import { PackagerError } from './errors.js';
import type { ZipSource } from './zip/writer.js';

/** Where a portable package sends telemetry: a Gatekeeper and a per-course ingest key it issued. */
export interface PackageTelemetry {
  /** The Gatekeeper's public URL, e.g. `https://gk.example.com`. */
  endpoint: string;
  /** An ingest key from `coursegate courses ingest-keys create <course>` (`cgi_…`). */
  ingestKey: string;
}

const INGEST_KEY = /^cgi_[A-Za-z0-9_-]{43}$/;
const HTML = /\.html?$/i;
/** The first of these found gets the config right after it: inside `<head>` when there is one. */
const ANCHORS = [/<head(?:\s[^>]*)?>/i, /<html(?:\s[^>]*)?>/i, /<!doctype[^>]*>/i];

/** Checks the options and returns them normalised (endpoint without a trailing slash). */
export function validatePackageTelemetry(t: PackageTelemetry): PackageTelemetry {
  let url: URL;
  try {
    url = new URL(t.endpoint);
  } catch {
    throw new PackagerError('invalid_config', `telemetry endpoint "${t.endpoint}" is not an absolute URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new PackagerError('invalid_config', 'telemetry endpoint must be an http(s) URL');
  if (url.search || url.hash || url.username || url.password)
    throw new PackagerError('invalid_config', 'telemetry endpoint takes no query, fragment or credentials');
  if (!INGEST_KEY.test(t.ingestKey))
    throw new PackagerError(
      'invalid_config',
      'ingest key must be a cgi_… key from `coursegate courses ingest-keys create <course>`',
    );
  return { endpoint: url.href.replace(/\/+$/, ''), ingestKey: t.ingestKey };
}

/** The `<script type="application/json">` the runtime's `telemetryFromPackage` reads. */
export function telemetryElement(config: PackageTelemetryConfig): string {
  // `<` escaped so no value can close the script element early.
  const json = JSON.stringify(config).replace(/</g, '\\u003c');
  return `<script type="application/json" id="${PACKAGE_TELEMETRY_ELEMENT_ID}">${json}</script>`;
}

/** `html` with `element` placed at the start of its head (or of the document). */
export function injectElement(html: string, element: string): string {
  for (const anchor of ANCHORS) {
    const m = anchor.exec(html);
    if (m) return `${html.slice(0, m.index + m[0].length)}${element}${html.slice(m.index + m[0].length)}`;
  }
  return element + html;
}

async function readAll(source: ZipSource): Promise<Buffer> {
  if (source.read) return source.read();
  const chunks: Buffer[] = [];
  for await (const chunk of await source.open()) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/**
 * The course files with the telemetry config written into every HTML page, so whichever page starts
 * the runtime finds it without a request. Other files pass through untouched.
 */
export function withPackageTelemetry(files: ZipSource[], config: PackageTelemetryConfig): ZipSource[] {
  const element = telemetryElement(config);
  return files.map((f) => {
    if (!HTML.test(f.path)) return f;
    let data: Promise<Buffer> | undefined;
    const read = () => {
      data ??= readAll(f).then((b) => Buffer.from(injectElement(b.toString('utf8'), element), 'utf8'));
      return data;
    };
    return { path: f.path, read, open: async () => Readable.from([await read()]) };
  });
}
