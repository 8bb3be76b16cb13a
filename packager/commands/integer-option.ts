import { PackagerError } from '../errors.js';

/**
 * Reads a count from the command line (or the environment). Only digits pass: `parseInt('2.5')`,
 * `Number('1e3')` and `Number('abc')` would each turn a typo into a number nobody meant, and a NaN
 * concurrency once started no uploads at all.
 * @example parsePositiveInteger('6', '--concurrency') // 6; 'abc', '0', '-3' and '2.5' throw invalid_config
 */
export function parsePositiveInteger(value: string, name: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!(n >= 1 && n <= max)) {
    const bound = max === Number.MAX_SAFE_INTEGER ? '' : ` up to ${max}`;
    throw new PackagerError('invalid_config', `${name} must be a positive integer${bound}`);
  }
  return n;
}

/**
 * The same as a commander option parser: a bad value is refused while the command line is read, before
 * the command contacts a server or starts a deployment it could not finish.
 * @example .option('--concurrency <n>', 'uploads in flight', positiveIntegerOption('--concurrency'), 6)
 */
export function positiveIntegerOption(flag: string, max?: number): (value: string) => number {
  return (value) => parsePositiveInteger(value, flag, max);
}
