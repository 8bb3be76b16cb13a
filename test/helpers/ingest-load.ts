/**
 * Statement load client, run in its own process so it shares no event loop with the server or the test:
 * `node --import tsx test/helpers/ingest-load.ts <job.json>`. Sends batches of fresh statements over
 * `concurrency` connections until `seconds` pass (or forever, until killed, with `seconds: 0`). With
 * `ackFile`, appends each acknowledged id (2xx answer) to it before sending more, so what the client
 * knows as acknowledged is on disk whatever happens to the server. Prints one JSON result line.
 */

import { randomUUID } from 'node:crypto';
import { appendFileSync, readFileSync } from 'node:fs';

interface Job {
  url: string;
  homePage: string;
  sessions: { id: string; token: string }[];
  batch: number;
  concurrency: number;
  seconds: number;
  ackFile?: string;
}

const job = JSON.parse(readFileSync(process.argv[2] as string, 'utf8')) as Job;
const verbs = ['progressed', 'answered', 'experienced', 'completed'];
let acked = 0;
let failed = 0;
let turn = 0;

/**
 * One batch as JSON text. Written out by hand rather than `JSON.stringify` of fresh objects: the client
 * shares the machine's two cores with the server, so the less it spends per batch, the more the figure
 * measures the server. Every statement still gets a fresh id, so every one is a new row.
 */
function batch(session: { id: string }): { ids: string[]; body: string } {
  const actor = JSON.stringify({
    objectType: 'Agent',
    account: { homePage: job.homePage, name: session.id },
  });
  const timestamp = new Date().toISOString();
  const ids: string[] = [];
  const parts: string[] = [];
  for (let i = 0; i < job.batch; i++) {
    const id = randomUUID();
    ids.push(id);
    parts.push(
      `{"id":"${id}","actor":${actor},"verb":{"id":"http://adlnet.gov/expapi/verbs/${verbs[i % verbs.length]}"},` +
        `"object":{"objectType":"Activity","id":"${job.homePage}/courses/seed/q${i}"},` +
        `"result":{"score":{"raw":${i % 10},"min":0,"max":10},"duration":"PT12.5S"},` +
        `"context":{"extensions":{"https://coursegate.dev/xapi/extensions/course":"seed"}},"timestamp":"${timestamp}"}`,
    );
  }
  return { ids, body: `[${parts.join(',')}]` };
}

const started = performance.now();
const end = job.seconds > 0 ? started + job.seconds * 1000 : Number.POSITIVE_INFINITY;

async function worker() {
  while (performance.now() < end) {
    const session = job.sessions[turn++ % job.sessions.length] as { id: string; token: string };
    const { ids, body } = batch(session);
    try {
      const res = await fetch(`${job.url}/xapi/statements`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${session.token}`,
          'content-type': 'application/json',
          'x-experience-api-version': '1.0.3',
        },
        body,
      });
      await res.arrayBuffer();
      if (res.ok) {
        acked += ids.length;
        if (job.ackFile) appendFileSync(job.ackFile, `${ids.join('\n')}\n`);
      } else failed++;
    } catch {
      failed++;
      if (job.seconds === 0) await new Promise((r) => setTimeout(r, 50));
    }
  }
}

await Promise.all(Array.from({ length: job.concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ statements: acked, seconds, rate: acked / seconds, failed })}\n`);
