import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/gatekeeper.js';

// The CLI and the docs name courses by slug; every route that names a course takes its id or its slug,
// and a slug reaches only the caller's own organisation's course.
describe('a course named by slug', () => {
  it('answers the same as by id on every course route, and 404 for another org or no such course', async () => {
    const t = await createTestApp();
    const a = await t.org('Acme');
    const b = await t.org('Other');
    const { course } = await t.liveCourse(a.org.id, 'intro');
    const get = (path: string, key = a.owner.key) => t.call('GET', path, { key });
    for (const path of ['', '/launches', '/errors', '/completions', '/ingest-keys']) {
      const byId = await get(`/v1/courses/${course.id}${path}`);
      const bySlug = await get(`/v1/courses/intro${path}`);
      expect([path, bySlug.status]).toEqual([path, 200]);
      expect(await bySlug.json()).toEqual(await byId.json());
      expect([path, (await get(`/v1/courses/intro${path}`, b.owner.key)).status]).toEqual([path, 404]);
      expect([path, (await get(`/v1/courses/nothing${path}`)).status]).toEqual([path, 404]);
    }

    const created = await t.call('POST', '/v1/licenses', {
      key: a.owner.key,
      body: { courseId: 'intro', clientName: 'By slug' },
    });
    expect(created.status).toBe(201);
    const { license } = (await created.json()) as { license: { id: string; courseId: string } };
    expect(license.courseId).toBe(course.id);
    const listed = (await (await get('/v1/licenses?courseId=intro')).json()) as {
      licenses: { id: string }[];
    };
    expect(listed.licenses.map((l) => l.id)).toEqual([license.id]);
    // A filter naming no course of this org is an error, not an empty list.
    expect((await get('/v1/licenses?courseId=nothing')).status).toBe(404);
    expect((await get('/v1/licenses?courseId=intro', b.owner.key)).status).toBe(404);
    const other = await t.call('POST', '/v1/licenses', {
      key: b.owner.key,
      body: { courseId: 'intro', clientName: 'Not theirs' },
    });
    expect(other.status).toBe(404);
  });
});
