import { z } from 'zod';

/** Atlas `Link`: both fields optional in the spec; links without both are dropped (they point nowhere). */
const linkSchema = z.object({ href: z.string().optional(), rel: z.string().optional() });

/** A `links` array as Atlas sends it, reduced to the complete links; absent means none. */
export const linksSchema = z
  .array(linkSchema)
  .optional()
  .transform((links) =>
    (links ?? []).filter(
      (link): link is { href: string; rel: string } => link.href !== undefined && link.rel !== undefined,
    ),
  );

/** A complete hypermedia link. */
export type AtlasLink = z.infer<typeof linksSchema>[number];
