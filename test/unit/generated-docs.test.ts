import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_PAGES } from '../../scripts/docs/pages.js';

describe('the generated pages of docs/', () => {
  it.each(GENERATED_PAGES)(
    '$path is exactly what `npm run docs` prints from the code (run it and commit when this fails)',
    (page) => {
      const committed = readFileSync(new URL(`../../${page.path}`, import.meta.url), 'utf8');
      expect(committed).toBe(page.render());
    },
  );
});
