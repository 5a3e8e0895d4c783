import * as path from 'path';
import { DitError } from '../app/errors';
import { GitOpsApp } from '../app/gitops-app';

/** The function a definitions module exports: it declares the team's environments and components. */
export type Definitions = (app: GitOpsApp) => void;

/**
 * Loads the team's definitions (default `src/main.ts`), which export `defineTeam` or a default
 * function. A TypeScript module is loaded through tsx, registered here, after the library:
 * the compiled library never goes through tsx's hooks.
 */
export function loadDefinitions(file: string): Definitions {
  const resolved = path.resolve(file);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (/\.[cm]?tsx?$/.test(resolved)) require('tsx/cjs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(resolved) as { default?: unknown; defineTeam?: unknown };
  const define = mod.defineTeam ?? mod.default;
  if (typeof define !== 'function') {
    throw new DitError({ component: file, field: 'exports' }, 'hold no definitions; expected `export function defineTeam(app: GitOpsApp)` or a default function');
  }
  return define as Definitions;
}
