// The production build: compiles src/ to dist/ and copies the files the server reads at run time
// (the vendored GraphiQL bundle), so that dist/ runs without reaching outside itself.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('../', import.meta.url);
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(new URL('dist/', root), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
cpSync(new URL('src/vendor/', root), new URL('dist/vendor/', root), { recursive: true });
