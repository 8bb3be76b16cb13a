import { createLoginBackoff } from './backoff.js';

/**
 * The dashboard's sign-in backoff. Failures count per account *from* an address, so a stranger guessing
 * an owner's password slows only their own attempts, never the owner's from elsewhere (counting per
 * account alone let anyone lock an owner out). A per-address ceiling, higher than the per-account
 * allowance, slows one address spraying guesses across many accounts. A success clears only its own
 * account-and-address count: signing in to one's own account must not reset the ceiling.
 */
export interface SignInBackoff {
  /** Milliseconds `account` must still wait before trying again from `address`; 0 when free to try. */
  waitMs(account: string, address: string): number;
  fail(account: string, address: string): void;
  succeed(account: string, address: string): void;
}

export function createSignInBackoff(options: {
  now: () => Date;
  /** Failures of one account from one address before the waits start. */
  freePerAccount?: number;
  /** Failures from one address, over all accounts, before the waits start. */
  freePerAddress?: number;
}): SignInBackoff {
  const perAccount = createLoginBackoff({ now: options.now, free: options.freePerAccount ?? 5 });
  const perAddress = createLoginBackoff({ now: options.now, free: options.freePerAddress ?? 20 });
  // JSON keeps the pair unambiguous whatever characters the email holds.
  const pair = (account: string, address: string) => [JSON.stringify([account, address])];
  return {
    waitMs: (account, address) =>
      Math.max(perAccount.waitMs(pair(account, address)), perAddress.waitMs([address])),
    fail(account, address) {
      perAccount.fail(pair(account, address));
      perAddress.fail([address]);
    },
    succeed: (account, address) => perAccount.succeed(pair(account, address)),
  };
}
