import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import type { PackageInfo } from '../../packager/index.js';
import { sharedFile } from '../helpers/shared.js';
import { makeCourseDir, removeDir, tempDir } from './fixtures.js';
import { runCoursegate } from './run-cli.js';

const out = tempDir();
afterAll(() => removeDir(out));

describe('coursegate CLI (child process)', () => {
  it.each([[[]], [['package']], [['inspect']]])('prints help for %j --help and exits 0', async (args) => {
    const r = await runCoursegate([...args, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Usage: coursegate/);
  });

  it('packages a folder with metadata from package.json and inspects the result as JSON', async () => {
    const dir = makeCourseDir({
      'package.json': JSON.stringify({
        version: '2.1.0',
        coursegate: { id: 'cli', title: 'CLI course', entry: 'index.html' },
      }),
      'index.html': '<!doctype html>',
    });
    const zip = join(out, 'cli.zip');
    const built = await runCoursegate(['package', dir, '--format', 'scorm2004', '--edition', '3', '-o', zip]);
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const r = await runCoursegate(['inspect', zip, '--json']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as PackageInfo;
    expect(info).toMatchObject({ standard: 'scorm2004', edition: 3, title: 'CLI course', scoCount: 1 });
    removeDir(dir);
  });

  it('reads coursegate.json from the current folder when the built folder has none', async () => {
    const project = makeCourseDir({
      'coursegate.json': JSON.stringify({ id: 'p', title: 'P', version: '1', entry: 'index.html' }),
      'dist/index.html': 'hi',
    });
    const r = await runCoursegate(['package', 'dist', '--format', 'cmi5'], { cwd: project });
    expect(r.code).toBe(0);
    expect(existsSync(join(project, 'p-cmi5.zip'))).toBe(true);
    removeDir(project);
  });

  it.each([
    [['package', '/nonexistent/dir', '--format', 'scorm12'], /does not exist \[input_not_found\]/],
    [['package', '.', '--format', 'aicc'], /argument 'aicc' is invalid/],
    [['package', '.'], /required option '-f, --format <format>' not specified/],
    [['inspect', '/nonexistent.zip'], /does not exist \[input_not_found\]/],
    [['inspect', 'package.json'], /not a readable zip.*\[invalid_package\]/],
  ])('fails with a one-line reason for %j', async (args, reason) => {
    const r = await runCoursegate(args);
    expect(r.code).not.toBe(0);
    expect(r.stderr.split('\n')[0]).toMatch(reason);
  });

  it('leaves out what deploy leaves out (secrets, git, dependencies, source maps, its own metadata) and names each', async () => {
    const dir = makeCourseDir({
      'coursegate.json': JSON.stringify({ id: 'lo', title: 'LO', version: '1', entry: 'index.html' }),
      'index.html': '<!doctype html>',
      'app.js': 'x',
      'app.js.map': '{}',
      '.env': 'SECRET=1',
      'sub/.env.local': 'SECRET=2',
      '.git/HEAD': 'ref: refs/heads/main',
      'node_modules/dep/index.js': '',
      '.npmrc': '//registry.npmjs.org/:_authToken=npm_secret',
      'img/.DS_Store': '',
    });
    // What npm leaves in node_modules: a link, which a package would otherwise refuse outright.
    mkdirSync(join(dir, 'node_modules/.bin'));
    symlinkSync('../dep/index.js', join(dir, 'node_modules/.bin/dep'));
    const zip = join(out, 'left-out.zip');
    const r = await runCoursegate(['package', dir, '--format', 'scorm2004', '-o', zip]);
    expect(r.code, r.stderr).toBe(0);
    expect(Object.keys(unzipSync(readFileSync(zip))).sort()).toEqual([
      'app.js',
      'imsmanifest.xml',
      'index.html',
    ]);
    expect(r.stderr.trim().split('\n').sort()).toEqual([
      'left out .env (environment file)',
      'left out .git/ (git metadata)',
      'left out .npmrc (package manager credentials)',
      'left out app.js.map (source map; --include-sourcemaps keeps it)',
      'left out coursegate.json (course metadata, not content)',
      'left out img/.DS_Store (file the operating system made)',
      'left out node_modules/ (dependencies)',
      'left out sub/.env.local (environment file)',
    ]);

    const withMaps = await runCoursegate([
      'package',
      dir,
      '--format',
      'scorm12',
      '--include-sourcemaps',
      '-o',
      zip,
    ]);
    expect(withMaps.code, withMaps.stderr).toBe(0);
    expect(Object.keys(unzipSync(readFileSync(zip)))).toContain('app.js.map');
    expect(withMaps.stderr).not.toContain('app.js.map');
    removeDir(dir);
  });

  it('names the bad field of coursegate.json', async () => {
    const dir = makeCourseDir({
      'coursegate.json': JSON.stringify({
        id: 'x',
        title: 'X',
        version: '1',
        entry: 'index.html',
        masteryScore: 80,
      }),
      'index.html': '',
    });
    const r = await runCoursegate(['package', dir, '--format', 'scorm12', '-o', join(out, 'bad.zip')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /coursegate\.json: "masteryScore" must be a number from 0 to 1.*\[invalid_config\]\n$/,
    );
    expect(existsSync(join(out, 'bad.zip'))).toBe(false);
    removeDir(dir);
  });

  it('shows progress lines on a large input when stderr is not a terminal', async () => {
    const big = new Uint8Array(20 * 1024 * 1024);
    const dir = makeCourseDir({ 'index.html': 'x', 'big.bin': big });
    writeFileSync(
      join(dir, 'coursegate.json'),
      JSON.stringify({ id: 'b', title: 'B', version: '1', entry: 'index.html' }),
    );
    const r = await runCoursegate(['package', dir, '--format', 'scorm12', '-o', join(out, 'big.zip')]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^packaging: 0% .*\npackaging: 50% .*\npackaging: 100% \(20\.0 of 20\.0 MB\)\nleft out coursegate\.json \(course metadata, not content\)\n$/s,
    );
    removeDir(dir);
  });
});

/** The true contents of each third-party fixture, read from its manifest by hand. */
const FIXTURES: {
  file: string;
  standard: string;
  edition: number | null;
  title: string;
  scoCount: number;
  launchUrls: string[];
  masteryScore?: number;
}[] = [
  {
    file: 'scorm/golf-scorm12-basic-runtime.zip',
    standard: 'scorm12',
    edition: null,
    title: 'Golf Explained - Run-time Basic Calls',
    scoCount: 1,
    launchUrls: ['shared/launchpage.html'],
  },
  {
    file: 'scorm/golf-scorm12-single-sco.zip',
    standard: 'scorm12',
    edition: null,
    title: 'Golf Explained - CP Single SCO',
    scoCount: 1,
    launchUrls: ['shared/launchpage.html'],
  },
  {
    file: 'scorm/golf-scorm2004v3-advanced-runtime.zip',
    standard: 'scorm2004',
    edition: 3,
    title: 'Golf Explained - Run-time Advanced Calls',
    scoCount: 1,
    launchUrls: ['shared/launchpage.html'],
    masteryScore: 0.8,
  },
  {
    file: 'scorm/golf-scorm2004v3-basic-runtime.zip',
    standard: 'scorm2004',
    edition: 3,
    title: 'Golf Explained - Run-time Basic Calls',
    scoCount: 1,
    launchUrls: ['shared/launchpage.html'],
  },
  {
    // Despite its name every resource is an asset: 18 launchable pages, no SCO.
    file: 'scorm/golf-scorm2004v3-multi-sco.zip',
    standard: 'scorm2004',
    edition: 3,
    title: 'Golf Explained - CP One File Per SCO',
    scoCount: 0,
    launchUrls: [
      ...[
        'Playing/Playing',
        'Playing/Par',
        'Playing/Scoring',
        'Playing/OtherScoring',
        'Playing/RulesOfGolf',
      ].map((p) => `${p}.html`),
      'shared/assessmenttemplate.html?questions=Playing',
      ...['Etiquette/Course', 'Etiquette/Distracting', 'Etiquette/Play'].map((p) => `${p}.html`),
      'shared/assessmenttemplate.html?questions=Etiquette',
      ...[
        'Handicapping/Overview',
        'Handicapping/CalculatingHandicap',
        'Handicapping/CalculatingScore',
        'Handicapping/Example',
      ].map((p) => `${p}.html`),
      'shared/assessmenttemplate.html?questions=Handicapping',
      'HavingFun/HowToHaveFun.html',
      'HavingFun/MakeFriends.html',
      'shared/assessmenttemplate.html?questions=HavingFun',
    ],
  },
  {
    file: 'scorm/golf-scorm2004v4-sequencing.zip',
    standard: 'scorm2004',
    edition: 4,
    title: 'Golf Explained - 4th Edition Features',
    scoCount: 5,
    launchUrls: ['playing', 'etiquette', 'handicapping', 'havingfun', 'assessment'].map(
      (c) => `shared/launchpage.html?content=${c}`,
    ),
  },
  {
    file: 'cmi5/catapult-single-au-basic-responsive.zip',
    standard: 'cmi5',
    edition: null,
    title: 'Introduction to Geology - Responsive Style',
    scoCount: 1,
    launchUrls: ['index.html'],
  },
  {
    file: 'cmi5/catapult-masteryscore-responsive.zip',
    standard: 'cmi5',
    edition: null,
    title: 'Introduction to Geology - Responsive Style - Mastery Score',
    scoCount: 1,
    launchUrls: ['index.html'],
    masteryScore: 0.3,
  },
  {
    file: 'cmi5/catapult-multi-au-framed.zip',
    standard: 'cmi5',
    edition: null,
    title: 'Introduction to Geology - Multi AU at Root',
    scoCount: 8,
    launchUrls: [
      ...[1, 2, 3, 4, 5, 6, 7].map((n) => `index.html?pages=${n}&complete=launch`),
      'index.html?pages=quiz&complete=quiz',
    ],
  },
];

describe('coursegate inspect --json on every third-party fixture', () => {
  for (const fx of FIXTURES) {
    const shared = sharedFile(`fixtures/${fx.file}`);
    it.skipIf(!shared.path)(`${fx.file} ${shared.reason}`, async () => {
      const r = await runCoursegate(['inspect', shared.path!, '--json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const info = JSON.parse(r.stdout) as PackageInfo;
      expect(info.standard).toBe(fx.standard);
      expect(info.edition).toBe(fx.edition);
      expect(info.title).toBe(fx.title);
      expect(info.scoCount).toBe(fx.scoCount);
      expect(info.launchables.map((l) => l.launchUrl)).toEqual(fx.launchUrls);
      expect(info.masteryScore).toBe(fx.masteryScore);
    });
  }
});
