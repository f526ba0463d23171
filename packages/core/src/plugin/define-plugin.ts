import type { ContainerModule } from 'inversify';
import type { z } from 'zod';
import { TrancheError } from '../errors/tranche-error.js';

/**
 * A Tranche plugin: an inversify `ContainerModule` that only binds (no I/O; async
 * start-up belongs in `initialize()` methods), plus the zod schema of its config
 * section. The section is the plugin's `name` as a key of the config file.
 */
export interface TranchePlugin<C = unknown> {
  /** Kebab-case name; also the config section's key (`venue-paper`). */
  readonly name: string;
  readonly version: string;
  /** One line for `tranche plugins` and the docs. */
  readonly description?: string;
  /** Strict zod schema of the config section; every key should have a default. */
  readonly configSchema?: z.ZodType<C>;
  /** Token under which the parsed section is bound (defaults to `pluginConfigToken(name)`). */
  readonly configToken?: symbol;
  /** Bindings of the plugin. */
  readonly module: ContainerModule;
}

/** The token under which a plugin's parsed config section is bound. */
export function pluginConfigToken(name: string): symbol {
  return Symbol.for(`tranche.plugin-config.${name}`);
}

/** Declares a plugin; checks its name so config keys stay predictable. */
export function definePlugin<C>(plugin: TranchePlugin<C>): TranchePlugin<C> {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(plugin.name)) {
    throw new TrancheError('validation', `plugin name "${plugin.name}" must be kebab-case`, { field: 'name', retryable: false });
  }
  return plugin;
}
