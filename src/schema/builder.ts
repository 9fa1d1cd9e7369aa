import SchemaBuilder from '@pothos/core';
import type { Context } from '../context.js';

/** The one schema builder: generics and plugins only; types live in their own files. */
export const builder = new SchemaBuilder<{
  Context: Context;
  Scalars: {
    DateTime: { Input: Date; Output: Date | string };
    SafeInt: { Input: number; Output: number };
  };
  // Non-null unless a field says otherwise, so the SDL states what is guaranteed.
  DefaultFieldNullability: false;
}>({ defaultFieldNullability: false });

builder.queryType({ description: 'Read-only access to MongoDB Atlas backup snapshots.' });
