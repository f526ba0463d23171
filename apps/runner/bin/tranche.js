#!/usr/bin/env node
// The `tranche` CLI. Built by `npm install` (the root `prepare` script) or `npm run build`.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
// Everything the run opened is closed by now, and the process normally exits at once. If a
// dependency still holds a handle (a socket a websocket client did not close), a finished run
// must not hang: say what is still open and exit after a grace period (the timer is unref'd,
// so it never keeps the process alive itself).
const grace = setTimeout(() => {
  process.stderr.write(`tranche: exiting although still open: ${process.getActiveResourcesInfo().join(', ') || 'nothing'}\n`);
  process.exit();
}, 3_000);
grace.unref();
