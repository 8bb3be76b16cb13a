import { encodeState } from '../../runtime/state-codec.ts';
import { quizState } from '../helpers/quiz-state.ts';
import type { BenchRow } from './types.ts';

/** How much of SCORM 1.2's 4096-character suspend_data a realistic 300-question state takes once encoded. */
export async function bench(): Promise<BenchRow[]> {
  const state = quizState(300);
  const json = JSON.stringify(state).length;
  const started = performance.now();
  const runs = 20;
  let encoded = '';
  for (let i = 0; i < runs; i++) encoded = (await encodeState(state, 4096)) ?? '';
  const ms = (performance.now() - started) / runs;
  return [
    {
      name: `SCORM 1.2 suspend_data, 300 answered questions (${(json / 1024).toFixed(1)} KB JSON)`,
      value: encoded ? `${encoded.length} chars` : 'does not fit',
      budget: '≤ 4096 chars',
      ok: encoded.length > 0 && encoded.length <= 4096,
    },
    { name: 'suspend_data encode time (CompressionStream, Node)', value: `${ms.toFixed(2)} ms`, budget: '' },
  ];
}
