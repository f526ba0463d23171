// Types of tools/config-reference.mjs, for its spec.
import type { TranchePlugin } from '@tranche/core';
import type { z } from 'zod';

/** The repository root. */
export declare const ROOT: string;
/** docs/configuration.md. */
export declare const OUTPUT: string;
/** The command that regenerates the reference. */
export declare const REGENERATE: string;

/** One plugin found in the workspace. */
export interface FoundPlugin {
  package: string;
  dir: string;
  plugin: TranchePlugin<unknown>;
}

/** What the reference is made of. */
export interface ConfigSchemas {
  coreSchema: z.ZodType;
  plugins: FoundPlugin[];
  runnerDefaults: string[];
  runnerVenues: Record<string, string>;
}

/** One row of the reference. */
export interface KeyRow {
  camel: string;
  snake: string;
  type: string;
  allowed: string;
  default: string;
  description: string;
}

/** `maxRetries` → `max_retries`. */
export declare function snakeCase(key: string): string;
/** Workspace packages under packages/ and plugins/ that have a source entry point. */
export declare function workspacePackages(root?: string): { name: string; dir: string; description: string }[];
/** Loads the core schema and every built plugin of the workspace. */
export declare function loadSchemas(root?: string, options?: { allowUnbuilt?: boolean; warn?: (line: string) => void }): Promise<ConfigSchemas>;
/** A short type name of a JSON Schema node. */
export declare function typeOf(node: unknown): string;
/** The constraints of a JSON Schema node, in words. */
export declare function constraintsOf(node: unknown): string[];
/** The rows of one schema. */
export declare function keyRows(schema: z.ZodType, prefix?: string[], context?: { cwd: string; packageDirs: { dir: string; name: string }[] }): KeyRow[];
/** Renders docs/configuration.md. */
export declare function renderConfigReference(schemas: ConfigSchemas, cwd?: string): string;
/** Keys without a description. */
export declare function undescribedKeys(schemas: ConfigSchemas): string[];
