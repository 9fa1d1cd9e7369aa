import { z } from 'zod';
import { atlasArray, atlasText } from './wire-fields.js';

/** More links than any Atlas body carries (the recordings have at most 4). */
const MAX_LINKS = 20;

/** Atlas `Link`: both fields optional in the spec; links without both are dropped (they point nowhere). */
const linkSchema = z.object({ href: atlasText('url').optional(), rel: atlasText('url').optional() });

/** A `links` array as Atlas sends it, reduced to the complete links; absent means none. */
export const linksSchema = atlasArray(linkSchema, MAX_LINKS)
  .optional()
  .transform((links) =>
    (links ?? []).filter(
      (link): link is { href: string; rel: string } => link.href !== undefined && link.rel !== undefined,
    ),
  );

/** A complete hypermedia link. */
export type AtlasLink = z.infer<typeof linksSchema>[number];
