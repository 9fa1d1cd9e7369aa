import type { AtlasLink } from '../../atlas/links.js';
import { builder } from './builder.js';

/** The GraphQL `Link` type: Atlas's hypermedia links. */
export const LinkRef = builder.objectRef<AtlasLink>('Link').implement({
  description: 'A hypermedia link that Atlas returns with a resource.',
  fields: (t) => ({
    href: t.exposeString('href', { description: 'The URL the link points to.' }),
    rel: t.exposeString('rel', { description: 'How the linked resource relates to this one, e.g. `self`.' }),
  }),
});
