import * as fs from 'fs';
import * as path from 'path';
import { schemaText, schemasFromCrdDir } from '../../scripts/generate-schemas';

// The shipped schemas are what `npm run schemas` makes of the vendored CRDs (parsing Cilium's
// 800 KB of CRDs takes seconds, hence e2e).
test('schemas/ is what scripts/generate-schemas.ts generates from crds/', () => {
  const root = path.join(__dirname, '..', '..');
  const generated = schemasFromCrdDir(path.join(root, 'crds'));
  const groups = new Set([...generated.keys()].map((rel) => rel.split('/')[0]));
  const committed = [...groups].flatMap((group) => fs.readdirSync(path.join(root, 'schemas', group)).map((f) => `${group}/${f}`));
  expect(committed.sort()).toStrictEqual([...generated.keys()].sort());
  for (const [rel, schema] of generated) expect(fs.readFileSync(path.join(root, 'schemas', rel), 'utf8')).toBe(schemaText(schema));
});
