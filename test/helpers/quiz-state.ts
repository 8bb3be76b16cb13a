/**
 * A realistic course state: `count` answered questions with response, correctness, attempts and time
 * taken (300 questions ≈ 20 KB of JSON). Deterministic, so tests and the bench measure the same thing.
 */
export function quizState(
  count = 300,
): Record<string, { response: string; correct: boolean; attempts: number; ms: number }> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `question-${String(i + 1).padStart(3, '0')}`,
      {
        response: `choice-${'abcd'[i % 4]}`,
        correct: i % 3 !== 0,
        attempts: 1 + (i % 2),
        ms: 4000 + ((i * 7919) % 30000),
      },
    ]),
  );
}
