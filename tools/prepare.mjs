// Runs after `npm install` / `npm ci`: builds every package so that `npm start` and
// `npx tranche` work straight away. Nx caches the result, so a later `npm run build`
// is nearly free. Set TRANCHE_SKIP_PREPARE=1 to skip (e.g. when installing one package).
import { spawnSync } from 'node:child_process';

if (process.env.TRANCHE_SKIP_PREPARE === '1') process.exit(0);
const result = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static'], {
  stdio: 'inherit',
  env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
});
process.exit(result.status ?? 1);
