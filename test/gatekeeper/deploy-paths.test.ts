import { describe, expect, it } from 'vitest';
import { tempFsStorage } from '../helpers/fs-storage.js';
import { createTestApp } from '../helpers/gatekeeper.js';

const HOSTILE = [
  '../escape.html',
  'lessons/../../escape.html',
  './index.html',
  '/etc/passwd',
  'C:/Windows/win.ini',
  'lessons\\..\\escape.html',
  'index.html\u0000.png',
  'lessons//index.html',
  'line\nbreak.html',
];

describe('deploy plan paths', () => {
  it('refuses every hostile path with 400 invalid_storage_key and creates no deployment', async () => {
    const storage = await tempFsStorage();
    const t = await createTestApp({ storage });
    const { owner } = await t.org('Acme');
    const course = await t.call('POST', '/v1/courses', { key: owner.key, body: { slug: 'c', title: 'C' } });
    const { id } = (await course.json()) as { id: string };
    const file = (path: string) => ({ path, sha256: 'a'.repeat(64), size: 1 });
    for (const path of HOSTILE) {
      const res = await t.call('POST', `/v1/courses/${id}/deployments`, {
        key: owner.key,
        body: { entry: path, files: [file(path)] },
      });
      const text = await res.text();
      const body = JSON.parse(text) as { error: { code: string; message: string } };
      expect([JSON.stringify(path), res.status, body.error.code]).toEqual([
        JSON.stringify(path),
        400,
        'invalid_storage_key',
      ]);
    }
    // Plans whose storage keys would collide: the same name in NFC and NFD, a file that is also a folder.
    for (const paths of [
      ['caf\u00e9.html', 'cafe\u0301.html'],
      ['a', 'a/b.html'],
      ['lessons/one/index.html', 'lessons/one'],
    ]) {
      const res = await t.call('POST', `/v1/courses/${id}/deployments`, {
        key: owner.key,
        body: { entry: paths[0], files: paths.map(file) },
      });
      expect([paths, res.status], await res.text()).toEqual([paths, 400]);
    }
    // The entry page must be one of the files, and a safe plan still goes through.
    const stray = await t.call('POST', `/v1/courses/${id}/deployments`, {
      key: owner.key,
      body: { entry: '../index.html', files: [file('index.html')] },
    });
    expect(stray.status).toBe(400);
    const list = await t.call('GET', `/v1/courses/${id}/deployments`, { key: owner.key });
    expect(((await list.json()) as { deployments: unknown[] }).deployments).toHaveLength(0);
    const ok = await t.call('POST', `/v1/courses/${id}/deployments`, {
      key: owner.key,
      body: { entry: 'lessons/index.html', files: [file('lessons/index.html')] },
    });
    expect(ok.status).toBe(201);
  });
});
