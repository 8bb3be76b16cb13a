import { afterAll } from 'vitest';
import { releaseFileWorkerTarget } from './worker-target.js';

// A Miniflare with options of its own goes with its file; the shared ones serve the process's next files.
afterAll(releaseFileWorkerTarget);
