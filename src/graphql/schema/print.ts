import { printSubgraphSchema } from '@apollo/subgraph';
import { schema } from './index.js';

/** The subgraph SDL committed as schema.graphql (with its federation `@link` and `@key`s): printed from the code. */
export function printSchemaSDL(): string {
  return `# Generated from src/schema by \`npm run schema\`. Do not edit by hand.\n\n${printSubgraphSchema(schema)}\n`;
}
