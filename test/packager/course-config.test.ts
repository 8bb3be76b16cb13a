import { describe, expect, it } from 'vitest';
import { loadCourseConfig, PackagerError, validateCourse } from '../../packager/index.js';
import { baseCourse, makeCourseDir, removeDir } from './fixtures.js';

function problem(raw: unknown): string {
  try {
    validateCourse(raw, 'coursegate.json');
  } catch (err) {
    expect(err).toBeInstanceOf(PackagerError);
    expect((err as PackagerError).code).toBe('invalid_config');
    return (err as PackagerError).message;
  }
  throw new Error('accepted');
}

describe('course metadata', () => {
  it.each([
    [{ ...baseCourse, id: undefined }, '"id" is required'],
    [{ ...baseCourse, id: 'has space' }, '"id" must be 1-128 letters'],
    [{ ...baseCourse, title: '  ' }, '"title" is required'],
    [{ ...baseCourse, title: 42 }, '"title" must be a string, got number'],
    [{ ...baseCourse, version: undefined }, '"version" is required'],
    [{ ...baseCourse, entry: '../outside.html' }, '"entry" must be a relative path'],
    [{ ...baseCourse, entry: '/abs.html' }, '"entry" must be a relative path'],
    [{ ...baseCourse, masteryScore: 80 }, '"masteryScore" must be a number from 0 to 1'],
    [{ ...baseCourse, language: 'english!' }, '"language" must be a BCP 47 tag'],
    [{ ...baseCourse, iri: 'not an iri' }, '"iri" must be an absolute IRI'],
    [{ ...baseCourse, titel: 'typo' }, '"titel" is not a known field'],
    [[], 'must be an object'],
  ])('%j is refused: %s', (raw, message) => {
    expect(problem(raw)).toContain(message);
    expect(problem(raw)).toMatch(/^coursegate\.json: /);
  });

  it('reads coursegate.json first, then package.json "coursegate" with its version and description', () => {
    const both = makeCourseDir({
      'coursegate.json': JSON.stringify({ ...baseCourse, title: 'From coursegate.json' }),
      'package.json': JSON.stringify({ coursegate: { ...baseCourse, title: 'From package.json' } }),
    });
    expect(loadCourseConfig(both).title).toBe('From coursegate.json');
    const pkg = makeCourseDir({
      'package.json': JSON.stringify({
        version: '4.5.6',
        description: 'desc',
        coursegate: { id: 'p', title: 'P', entry: 'index.html' },
      }),
    });
    expect(loadCourseConfig(pkg)).toEqual({
      id: 'p',
      title: 'P',
      entry: 'index.html',
      version: '4.5.6',
      description: 'desc',
    });
    const none = makeCourseDir({ 'package.json': '{}' });
    expect(() => loadCourseConfig(none)).toThrow(expect.objectContaining({ code: 'missing_metadata' }));
    const broken = makeCourseDir({ 'coursegate.json': '{ nope' });
    expect(() => loadCourseConfig(broken)).toThrow(/coursegate\.json: not valid JSON/);
    for (const d of [both, pkg, none, broken]) removeDir(d);
  });
});
