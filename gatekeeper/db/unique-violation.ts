/**
 * Whether `err` (or what it wraps: drizzle wraps driver errors as `cause`) is SQLite refusing a duplicate
 * of a UNIQUE or PRIMARY KEY column, on better-sqlite3 (`code`) or D1 (message text). Routes check for
 * a duplicate before inserting, but two requests at once can both pass that check: the constraint is
 * what decides, and its refusal is a conflict, not a server fault.
 */
export function isUniqueViolation(err: unknown): boolean {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
    if (/UNIQUE constraint failed|PRIMARY KEY constraint failed/.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Runs `write`, and throws `refusal()` when the database refuses it as a duplicate: the loser of a race
 * gets the same answer as a request that found the duplicate first.
 * @example await refusingDuplicate(createCourse(db, input), () => new Error('slug taken'));
 */
export async function refusingDuplicate<T>(write: Promise<T>, refusal: () => Error): Promise<T> {
  try {
    return await write;
  } catch (err) {
    throw isUniqueViolation(err) ? refusal() : err;
  }
}
