import type * as ClassTransformer from 'class-transformer';
import type * as ClassValidator from 'class-validator';
import { lazy } from '../lazy';

// Loaded when settings are first read or validated: class-validator alone takes longer to load than all of
// floe-core, and commands such as `floe list` never need it.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
export const classValidator = lazy(() => require('class-validator') as typeof ClassValidator);
// eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use
export const classTransformer = lazy(() => require('class-transformer') as typeof ClassTransformer);
