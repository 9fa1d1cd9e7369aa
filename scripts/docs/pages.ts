import { renderConfigurationPage } from './configuration-page.js';
import { renderErrorsPage } from './errors-page.js';

/** The generated pages of docs/: where each goes and what prints it (`npm run docs`; a test keeps them current). */
export const GENERATED_PAGES: { path: string; render: () => string }[] = [
  { path: 'docs/configuration.md', render: renderConfigurationPage },
  { path: 'docs/errors.md', render: renderErrorsPage },
];
