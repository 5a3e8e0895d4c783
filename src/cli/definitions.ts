import * as path from 'path';
import { GitOpsApp } from '../app/gitops-app';

/** The function a definitions module exports: it declares the team's environments and components. */
export type Definitions = (app: GitOpsApp) => void;

/**
 * Loads the team's definitions (default `src/main.ts`), which export `defineTeam` or a default
 * function. The CLI runs under tsx, so the module may be TypeScript.
 */
export function loadDefinitions(file: string): Definitions {
  const resolved = path.resolve(file);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(resolved) as { default?: unknown; defineTeam?: unknown };
  const define = mod.defineTeam ?? mod.default;
  if (typeof define !== 'function') {
    throw new Error(`${file} exports no definitions: expected \`export function defineTeam(app: GitOpsApp)\` or a default function`);
  }
  return define as Definitions;
}
