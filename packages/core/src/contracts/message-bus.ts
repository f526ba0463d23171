import type { Observable } from 'rxjs';

/**
 * Carries plain, serializable messages between components by subject
 * (`exec.events.<id>`, `md.<venue>.<symbol>.trades`, `state.<symbol>`). The default is
 * in-process; a networked implementation lets the same components run apart.
 */
export interface MessageBus {
  /** Publishes a message on a subject. */
  publish(subject: string, message: unknown): void;
  /** Messages on subjects matching `pattern` (`*` one token, `>` the rest). */
  subscribe<T = unknown>(pattern: string): Observable<{ subject: string; message: T }>;
  close(): Promise<void>;
}
/** Token of the `MessageBus` contract. */
export const MessageBus = Symbol.for('tranche.MessageBus');
