import { afterAll } from 'vitest';
import { disposeWorkerTarget } from './worker-target.js';

// One Miniflare per test file, stopped when the file is done.
afterAll(disposeWorkerTarget);
