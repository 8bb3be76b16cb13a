/**
 * Builds corpus.json from ADL's LRS conformance test suite (github.com/adlnet/lrs-conformance-test-suite,
 * MIT): each xAPI 1.0.3 statement test configuration (test/v1_0_3/configs/*.js) expanded as the suite's
 * helper expands it (templates merged with a deep jQuery-style extend), the actor replaced by the session's
 * anonymous actor, deduplicated. Only the generated statements are vendored, not the suite.
 *
 *   git clone https://github.com/adlnet/lrs-conformance-test-suite /tmp/adl
 *   npx tsx test/xapi-conformance/generate.ts /tmp/adl    # a bare git directory works too
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

type Json = Record<string, unknown>;
interface Test {
  name: string;
  templates?: Json[];
  json?: unknown;
  expect: number[];
}

/** What the test posts in place of the suite's actor: the test fills in the session. */
export const ANONYMOUS_ACTOR = { objectType: 'Agent', account: { homePage: '$HOME_PAGE', name: '$SESSION' } };

const VERSION_DIR = 'test/v1_0_3';
/** The configurations whose tests POST a templated statement (test/templatingSelection.js). */
const CONFIGS = [
  'accountobjects',
  'activities',
  'actors',
  'agents',
  'attachments',
  'authorities',
  'contextactivities',
  'contexts',
  'durations',
  'extensions',
  'formatting',
  'groups',
  'ifis',
  'languages',
  'objects',
  'results',
  'scores',
  'statementrefs',
  'substatements',
  'timestamp_property',
  'timestamps',
  'uuids',
  'verbs',
  'verify',
  'version',
  'voiding',
];

const isPlain = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** The `extend` package's deep merge (what the suite's helper.createTestObject uses). */
function extend(target: Json | unknown[], source: Json | unknown[]): Json | unknown[] {
  const t = target as Json;
  for (const name in source) {
    const copy = (source as Json)[name];
    const src = t[name];
    if (t === copy) continue;
    if (copy && (isPlain(copy) || Array.isArray(copy))) {
      const clone = Array.isArray(copy) ? (Array.isArray(src) ? src : []) : isPlain(src) ? src : {};
      t[name] = extend(clone as Json, copy as Json);
    } else if (copy !== undefined) t[name] = copy;
  }
  return target;
}

/** Statement templates whose actor is what the test is about. */
const ACTOR_TEMPLATES = new Set([
  '{{statements.actor}}',
  '{{statements.no_actor}}',
  '{{statements.multiple_actor}}',
]);

/**
 * Whether a test's statement is wrong in its top-level actor (which the anonymous actor replaces): its
 * templates start from a statement made for actor tests or descend into `actor` first.
 */
function aboutTheActor(list: Json[] | undefined): boolean {
  if (!list) return false;
  const base = Object.values(list[0] ?? {})[0];
  return ACTOR_TEMPLATES.has(String(base)) || Object.keys(list[1] ?? {})[0] === 'actor';
}

function main(dir: string): void {
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  const commit = git('rev-parse', 'HEAD').trim();
  const licence = git('show', `HEAD:LICENSE`).split('\n')[0]?.trim();
  const templates: Record<string, Record<string, Json>> = {};
  for (const path of git('ls-tree', '-r', '--name-only', 'HEAD', `${VERSION_DIR}/templates`).split('\n')) {
    const m = /templates\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (!m) continue;
    templates[m[1] as string] ??= {};
    (templates[m[1] as string] as Record<string, Json>)[m[2] as string] = JSON.parse(
      git('show', `HEAD:${path}`),
    );
  }
  let uuids = 0;
  // The helper the configurations call: ids made deterministic so the corpus is stable.
  const helper = { generateUUID: () => `00000000-0000-4000-8000-${String(++uuids).padStart(12, '0')}` };

  const expand = (list: Json[]): Json => {
    const merged = list.map((item) => {
      const [key, value] = Object.entries(item)[0] as [string, unknown];
      if (typeof value === 'string' && value.startsWith('{{') && value.endsWith('}}')) {
        const [folder, file] = value.slice(2, -2).split('.') as [string, string];
        const template = templates[folder]?.[file];
        if (!template) throw new Error(`not mapped: ${value}`);
        return { [key]: structuredClone(template) };
      }
      return structuredClone(item);
    });
    merged.reverse();
    let from = merged[0] as Json;
    for (const to of merged.slice(1)) {
      extend(Object.values(to)[0] as Json, from);
      from = to;
    }
    return Object.values(from)[0] as Json;
  };

  const byBody = new Map<
    string,
    { name: string; expect: 'pass' | 'fail'; actorOnly?: true; statement: unknown }
  >();
  let expanded = 0;
  let actorOnlyTests = 0;
  for (const file of CONFIGS) {
    const source = git('show', `HEAD:${VERSION_DIR}/configs/${file}.js`);
    const module = { exports: {} as { config: () => { name: string; config: Test[] }[] } };
    new Function('module', 'require', source)(module, () => helper);
    for (const group of module.exports.config()) {
      for (const test of group.config) {
        const statement = test.templates ? expand(test.templates) : (test.json as Json);
        if (!isPlain(statement) || test.expect.length !== 1) continue;
        expanded++;
        const expect: 'pass' | 'fail' = test.expect[0] === 200 ? 'pass' : 'fail';
        const actorOnly = expect === 'fail' && aboutTheActor(test.templates);
        if (actorOnly) actorOnlyTests++;
        const replaced = { ...statement, actor: ANONYMOUS_ACTOR };
        const body = JSON.stringify(replaced);
        const seen = byBody.get(body);
        const entry = {
          name: `${file}: ${test.name}`,
          expect,
          ...(actorOnly ? { actorOnly: true as const } : {}),
        };
        // A statement that fails only for its actor is, with the anonymous actor, the one that passes.
        if (!seen || (seen.actorOnly && !actorOnly)) byBody.set(body, { ...entry, statement: replaced });
        else if (!actorOnly && seen.expect !== expect)
          throw new Error(`${entry.name} contradicts ${seen.name}`);
      }
    }
  }
  const statements = [...byBody.values()];
  const corpus = {
    source: {
      repository: 'https://github.com/adlnet/lrs-conformance-test-suite',
      commit,
      licence,
      configurations: `${VERSION_DIR}/configs`,
      generator: 'test/xapi-conformance/generate.ts',
      expanded,
      /** Tests expected to fail only for their top-level actor, which the anonymous actor replaces. */
      actorOnlyTests,
      distinct: statements.length,
    },
    statements,
  };
  const out = fileURLToPath(new URL('./corpus.json', import.meta.url));
  // One statement a line: a regenerated corpus diffs by statement.
  const lines = corpus.statements.map((s) => JSON.stringify(s)).join(',\n');
  writeFileSync(out, `{"source":${JSON.stringify(corpus.source, null, 1)},\n"statements":[\n${lines}\n]}\n`);
  console.log(`${expanded} tests, ${statements.length} distinct statements -> ${out}`);
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: tsx test/xapi-conformance/generate.ts <lrs-conformance-test-suite git dir>');
  process.exit(2);
}
main(dir);
