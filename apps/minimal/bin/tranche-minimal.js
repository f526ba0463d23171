#!/usr/bin/env node
// The `tranche-minimal` CLI (build first: `npx tsc -b apps/minimal/tsconfig.lib.json`).
import { main } from '../dist/index.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
