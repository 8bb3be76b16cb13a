import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliGatekeeper, cliGatekeeper } from '../helpers/cli-gatekeeper.js';
import { ROOT } from '../helpers/paths.js';

/** The route keys of `ApiRoutes` (`'GET /v1/courses/:id'`), read from the source: types leave nothing at run time. */
function protocolRoutes(): { method: string; path: string }[] {
  const text = readFileSync(join(ROOT, 'protocol/api/routes.ts'), 'utf8');
  const table = text.slice(
    text.indexOf('export interface ApiRoutes {'),
    text.indexOf('export type ApiRoute '),
  );
  return [...table.matchAll(/^ {2}'(GET|POST|PATCH|PUT|DELETE) ([^']+)': \{/gm)].map((m) => ({
    method: m[1]!.toLowerCase(),
    path: m[2]!.replace(/:(\w+)/g, '{$1}'),
  }));
}

describe('the CLI’s route table (protocol/api/routes.ts) and the Gatekeeper', () => {
  let gk: CliGatekeeper;
  let owner: Awaited<ReturnType<CliGatekeeper['org']>>;
  beforeAll(async () => {
    gk = await cliGatekeeper();
    owner = await gk.org();
  });
  afterAll(() => gk.close());

  it('names only routes the Gatekeeper publishes, with their methods, in its OpenAPI document', async () => {
    const doc = (await (await gk.fetch(`${gk.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = protocolRoutes();
    expect(routes.length).toBeGreaterThan(30);
    const missing = routes.filter((r) => doc.paths[r.path]?.[r.method] === undefined);
    expect(missing).toEqual([]);
  });

  it('sends a path parameter as one segment, whatever the user typed', async () => {
    // Unencoded, the slash would make another path, which no route serves (route_not_found).
    for (const id of ['a/b', 'a b/c%2F'])
      await expect(owner.api('GET /v1/courses/:id/history', { params: { id } })).rejects.toMatchObject({
        status: 404,
        serverCode: 'course_not_found',
      });
  });
});
