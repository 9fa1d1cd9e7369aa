import { printSchema } from 'graphql';
import { schema } from './index.js';

/** The SDL committed as schema.graphql: printed from the code, never edited by hand. */
export function printSchemaSDL(): string {
  return `# Generated from src/schema by \`npm run schema\`. Do not edit by hand.\n\n${printSchema(schema)}\n`;
}
