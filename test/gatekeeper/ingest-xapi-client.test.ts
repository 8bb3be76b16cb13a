import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import XAPIModule, { type Statement } from '@xapi/xapi';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestSetup, statement } from './ingest-setup.js';

// A CommonJS package to tsc (NodeNext) but ESM to Vite: take the class from wherever it is.
type XAPIClass = typeof XAPIModule.default;
const XAPI: XAPIClass =
  (XAPIModule as unknown as { default?: XAPIClass }).default ?? (XAPIModule as unknown as XAPIClass);

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('@xapi/xapi (a third-party client) against /xapi/statements', () => {
  it('sends statements with a session token, reads and pages them with an org API key', async () => {
    const s = await ingestSetup();
    const session = await s.launch();
    const origin = await new Promise<string>((done) => {
      const server = serve(
        { fetch: (req) => s.t.fetch(req), port: 0, hostname: '127.0.0.1' },
        (info: AddressInfo) => done(`http://127.0.0.1:${info.port}`),
      );
      closers.push(() => new Promise<void>((closed) => server.close(() => closed())));
    });
    const endpoint = `${origin}/xapi/`;
    const writer = new XAPI({
      endpoint,
      auth: `Bearer ${session.token}`,
      version: '1.0.3',
      adapter: 'fetch',
    });
    const statements = Array.from({ length: 25 }, () => statement(session.id) as unknown as Statement);
    const sent = await writer.sendStatements({ statements });
    expect(sent.data).toEqual(statements.map((x) => x.id));
    const one = statement(session.id) as unknown as Statement;
    await writer.sendStatement({ statement: one });
    // The same statement again is accepted without a duplicate.
    await writer.sendStatements({ statements: [one] });

    const reader = new XAPI({
      endpoint,
      auth: `Bearer ${s.a.member.key}`,
      version: '1.0.3',
      adapter: 'fetch',
    });
    const seen: string[] = [];
    let page = await reader.getStatements({ limit: 10, verb: 'http://adlnet.gov/expapi/verbs/progressed' });
    expect(page.headers['x-experience-api-consistent-through'] ?? '').toMatch(/^\d{4}-/);
    for (;;) {
      seen.push(...page.data.statements.map((x: Statement) => x.id as string));
      if (!page.data.more) break;
      page = (await reader.getMoreStatements({ more: page.data.more })) as typeof page;
    }
    expect(seen).toHaveLength(26);
    expect(new Set(seen)).toEqual(new Set([...statements, one].map((x) => x.id)));
    const single = await reader.getStatement({ statementId: one.id as string });
    expect(single.data).toMatchObject({ id: one.id, actor: one.actor });

    // A session token cannot read, an API key cannot write.
    const snoop = new XAPI({ endpoint, auth: `Bearer ${session.token}`, version: '1.0.3', adapter: 'fetch' });
    await expect(snoop.getStatements({ limit: 1 })).rejects.toBeTruthy();
    const forger = new XAPI({
      endpoint,
      auth: `Bearer ${s.a.owner.key}`,
      version: '1.0.3',
      adapter: 'fetch',
    });
    await expect(
      forger.sendStatements({ statements: [statement(session.id) as unknown as Statement] }),
    ).rejects.toBeTruthy();
  });
});
