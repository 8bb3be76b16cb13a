import { it } from 'vitest';
import { createTestApp } from '../helpers/gatekeeper.js';
import { expectReady } from '../helpers/readiness.js';

/** `/readyz` on the Worker build (issue 22): the same readiness over D1 and R2. */
it('GET /readyz answers 200 when D1 takes a write and R2 answers', async () => {
  await expectReady(await createTestApp());
});
