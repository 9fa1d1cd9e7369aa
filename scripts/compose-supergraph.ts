import { readFileSync, writeFileSync } from 'node:fs';
import { composeServices } from '@theguild/federation-composition';
import { parse } from 'graphql';

// `npm run compose -- name=sdl-file@routing-url …` composes schema.graphql with other subgraphs into
// supergraph.graphql (the same composition library the federation test uses), for Hive Gateway or
// Apollo Router. Example:
//   npm run compose -- atlas-backups=schema.graphql@http://localhost:4000/graphql \
//                      projects=examples/federation/projects.graphql@http://localhost:4001/graphql
const services = process.argv.slice(2).map((arg) => {
  const match = /^([\w-]+)=([^@]+)@(\S+)$/.exec(arg);
  if (!match) throw new Error(`expected name=sdl-file@routing-url, got ${arg}`);
  return { name: match[1]!, typeDefs: parse(readFileSync(match[2]!, 'utf8')), url: match[3]! };
});
const result = composeServices(services);
if (result.errors) {
  for (const error of result.errors) process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
writeFileSync('supergraph.graphql', result.supergraphSdl);
process.stdout.write(`wrote supergraph.graphql from ${services.map((s) => s.name).join(', ')}\n`);
