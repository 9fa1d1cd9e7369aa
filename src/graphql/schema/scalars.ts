import { DateTimeResolver, SafeIntResolver } from 'graphql-scalars';
import { builder } from './builder.js';

builder.addScalarType('DateTime', DateTimeResolver);
// Atlas sizes are int64; a 32-bit GraphQL Int fails above 2 GiB. SafeInt carries every integer up to
// 2^53-1 exactly and refuses (as a field error) what JSON cannot represent exactly.
builder.addScalarType('SafeInt', SafeIntResolver);
