import type { Database, Statement } from 'better-sqlite3';

/** Prepared statements of one connection, prepared once per key (cleared when the connection closes). */
export class StatementCache {
  private readonly statements = new Map<string, Statement>();

  /** The statement of `key`, prepared from `sql` on `db` the first time. */
  get(db: Database, key: string, sql: string): Statement {
    let statement = this.statements.get(key);
    if (!statement) {
      statement = db.prepare(sql);
      this.statements.set(key, statement);
    }
    return statement;
  }

  /** Forgets every statement (their connection is closing). */
  clear(): void {
    this.statements.clear();
  }
}
