import * as fs from 'fs';
import * as path from 'path';
import * as lib from '../src';
import * as testing from '../src/testing';

// Every name the README and docs/ tell a user to import, from the entry point they name.
const LIBRARY_NAMES = [
  'ChartSource', 'DitApi', 'DitClient', 'DitCronJob', 'DitEnvironment', 'DitError', 'DitGateway', 'DitHelmChart', 'DitManifests', 'DitValidationError', 'DitWorker',
  'Entity', 'FluxCluster', 'GitOpsApp', 'ImageRegistry', 'ImageSelection', 'ImageTagRule', 'Middleware', 'Peer', 'Port', 'SealedSecret',
  'SecurityRelaxation', 'ValuesFrom', 'renderSetImage', 'runSynth', 'ComposeProject', 'readSources',
];
const TESTING_NAMES = [
  'effectiveObjects', 'effectiveRelease', 'expectConnectionAllowed', 'expectConnectionDenied', 'expectTreeToMatchSnapshot',
  'isConnectionAllowed', 'synthTree', 'validateTree',
];

const DOCS = ['README.md', ...fs.readdirSync(path.join(__dirname, '..', 'docs')).map((f) => `docs/${f}`)];
const docText = DOCS.map((f) => fs.readFileSync(path.join(__dirname, '..', f), 'utf8')).join('\n');

describe('public API', () => {
  test.each(LIBRARY_NAMES)('dit-gitops exports %s', (name) => {
    expect((lib as Record<string, unknown>)[name]).toBeDefined();
  });

  test.each(TESTING_NAMES)('dit-gitops/testing exports %s', (name) => {
    expect((testing as Record<string, unknown>)[name]).toBeDefined();
  });

  test('every name a doc imports is exported where the doc imports it from', () => {
    const missing: string[] = [];
    for (const m of docText.matchAll(/import \{([^}]*)\} from '([^']+)'/g)) {
      const module = m[2] === 'dit-gitops/testing' ? testing : m[2] === 'dit-gitops' || m[2] === './src' ? lib : undefined;
      if (!module) continue;
      for (const name of m[1].split(',').map((n) => n.trim()).filter(Boolean)) {
        if ((module as Record<string, unknown>)[name] === undefined) missing.push(`${m[2]}: ${name}`);
      }
    }
    expect(missing).toStrictEqual([]);
  });

  test('the lists above cover every constructor and factory the docs call', () => {
    const used = new Set([...docText.matchAll(/new ([A-Z][A-Za-z]+)\(|\b([A-Z][A-Za-z]+)\.[a-z][A-Za-z]*\(/g)].map((m) => m[1] ?? m[2]));
    const known = new Set([...LIBRARY_NAMES, ...TESTING_NAMES]);
    expect([...used].filter((n) => !known.has(n)).sort()).toStrictEqual([]);
  });
});
