/**
 * Load generator for 05-launch.bench.ts, run in its own process so it does not share an event loop with
 * the bench driver: `node --import tsx test/bench/launch-load.ts <job.json>`. Prints one JSON result line.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** The part of autocannon's result this bench reads (the package ships no types). */
interface LoadResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: object) => Promise<LoadResult>;

interface Job {
  url: string;
  method: 'GET' | 'POST';
  /** JSON bodies, sent round-robin; with `amount` set to their count, each is sent exactly once. */
  bodies?: string[];
  connections: number;
  duration?: number;
  amount?: number;
}

const job = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Job;
let next = 0;
const bodies = job.bodies ?? [];
const result = await autocannon({
  url: job.url,
  method: job.method,
  connections: job.connections,
  ...(job.amount ? { amount: job.amount } : { duration: job.duration ?? 10 }),
  headers: { 'content-type': 'application/json', origin: 'https://lms.example' },
  requests: [
    {
      setupRequest: (req: Record<string, unknown>) => {
        if (bodies.length > 0) {
          req.body = bodies[next % bodies.length];
          next++;
        }
        return req;
      },
    },
  ],
});
process.stdout.write(
  `${JSON.stringify({
    rps: result.requests.average,
    total: result.requests.total,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  })}\n`,
);
