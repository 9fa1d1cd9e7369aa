import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// `npm run codegen:check [dir]`: runs codegen (codegen.ts) into a directory of its own and fails
// when `dir` (default examples/gql, the committed output: typed documents and the trusted-documents
// manifest) differs from it — a document changed without `npm run codegen`, or a file edited by hand.
const committed = process.argv[2] ?? 'examples/gql';
const fresh = mkdtempSync(join(tmpdir(), 'codegen-'));
try {
  // The CLI's own bin, run by this node (npx would add its own start-up).
  const cli = join(dirname(createRequire(import.meta.url).resolve('@graphql-codegen/cli/package.json')), 'cjs/bin.js');
  const run = spawnSync(process.execPath, [cli, '--config', 'codegen.ts', '--silent'], {
    env: { ...process.env, CODEGEN_OUT: `${fresh}/` },
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    process.stderr.write(`codegen failed:\n${run.stdout}${run.stderr}`);
    process.exit(2);
  }
  const names = new Set([...readdirSync(fresh), ...readdirSync(committed)]);
  const read = (dir: string, name: string) => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      return undefined;
    }
  };
  const stale = [...names].filter((name) => read(fresh, name) !== read(committed, name));
  if (stale.length > 0) {
    process.stderr.write(
      `${committed} is stale (${stale.join(', ')}): run \`npm run codegen\` and commit the result\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`${committed} is up to date\n`);
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
