import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildPackage,
  type Course,
  extractPackage,
  PackagerError,
  validatePackageTelemetry,
} from '../../packager/index.js';
import { injectElement, telemetryElement } from '../../packager/telemetry-config.js';
import { makeCourseDir, removeDir, tempDir } from './fixtures.js';

const KEY = `cgi_${'A'.repeat(43)}`;
const course: Course = { id: 'intro', title: 'Intro', version: '1.0.0', entry: 'index.html' };
const work = tempDir('cg-pk-telemetry-');
afterAll(() => removeDir(work));

const ELEMENT = /<script type="application\/json" id="coursegate-telemetry">(.*?)<\/script>/;

async function build(name: string, telemetry?: { endpoint: string; ingestKey: string }) {
  const src = makeCourseDir({
    'index.html': '<!doctype html><html lang="en"><head><title>x</title></head><body></body></html>',
    'pages/two.htm': '<p>no head here</p>',
    'app.js': 'console.log("<head>")',
  });
  const zip = join(work, `${name}.zip`);
  await buildPackage({
    input: src,
    course,
    format: 'scorm12',
    output: zip,
    ...(telemetry ? { telemetry } : {}),
  });
  removeDir(src);
  const out = join(work, name);
  await extractPackage(zip, out);
  return (path: string) => readFileSync(join(out, path), 'utf8');
}

describe('portable package telemetry config', () => {
  it('writes endpoint, ingest key and course id into every HTML page, and nothing else changes', async () => {
    const read = await build('with', { endpoint: 'https://gk.example.com/', ingestKey: KEY });
    const index = read('index.html');
    expect(index).toMatch(/^<!doctype html><html lang="en"><head><script type="application\/json"/);
    expect(JSON.parse(ELEMENT.exec(index)?.[1] ?? '')).toEqual({
      endpoint: 'https://gk.example.com',
      ingestKey: KEY,
      course: 'intro',
    });
    expect(ELEMENT.test(read('pages/two.htm'))).toBe(true);
    expect(read('app.js')).toBe('console.log("<head>")');
  });

  it('writes nothing without telemetry options', async () => {
    const read = await build('without');
    expect(read('index.html')).toBe(
      '<!doctype html><html lang="en"><head><title>x</title></head><body></body></html>',
    );
    expect(read('pages/two.htm')).toBe('<p>no head here</p>');
  });

  it('refuses a bad endpoint or key with invalid_config', () => {
    for (const bad of [
      { endpoint: 'gk.example.com', ingestKey: KEY },
      { endpoint: 'javascript:alert(1)', ingestKey: KEY },
      { endpoint: 'https://gk.example.com/?k=1', ingestKey: KEY },
      { endpoint: 'https://gk.example.com', ingestKey: 'cg_apikeynotingest' },
    ]) {
      expect(() => validatePackageTelemetry(bad)).toThrow(PackagerError);
    }
  });

  it('places the element first in <head>, else after <html> or the doctype, else first; escapes "<"', () => {
    const el = '<x>';
    expect(injectElement('<HEAD data-a="1"><title>t</title>', el)).toBe(
      '<HEAD data-a="1"><x><title>t</title>',
    );
    expect(injectElement('<html><body>', el)).toBe('<html><x><body>');
    expect(injectElement('<!DOCTYPE html><p>', el)).toBe('<!DOCTYPE html><x><p>');
    expect(injectElement('<p>', el)).toBe('<x><p>');
    const hostile = telemetryElement({ endpoint: 'https://gk.test', ingestKey: KEY, course: '</script><b>' });
    expect(hostile.match(/<\/script>/g)).toHaveLength(1);
    expect(JSON.parse(ELEMENT.exec(hostile)?.[1] ?? '').course).toBe('</script><b>');
  });
});
