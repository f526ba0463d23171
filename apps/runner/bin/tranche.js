#!/usr/bin/env node
// The `tranche` CLI. Built by `npm install` (the root `prepare` script) or `npm run build`.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
