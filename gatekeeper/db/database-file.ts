/** The SQLite file's name inside a Gatekeeper data directory. */
export const DATABASE_FILE = 'gatekeeper.sqlite';
