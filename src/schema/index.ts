import { builder } from './builder.js';
import './scalars.js';
import './link.js';
import './snapshot-enums.js';
import './serverless-snapshot.js';

/** The executable schema, built once per process. */
export const schema = builder.toSchema({ sortSchema: false });
