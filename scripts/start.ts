/** `npm start`: builds the browser bundles if needed, then runs the Gatekeeper on embedded defaults. */
import { ensureRuntimeBuild } from './ensure-runtime-build.ts';

try {
  ensureRuntimeBuild();
} catch (err) {
  console.error(String(err));
  process.exit(1);
}
await import('../gatekeeper/main.ts');
