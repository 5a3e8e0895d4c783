import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { Command } from 'commander';
import { DEFAULT_SCHEMAS_DIR } from '../testing/schema-validator';
import { environmentRoots, validateEnvironments } from '../testing/validate-environments';
import { readTree } from '../tree/tree-diff';

/** Flags of `dit-gitops validate`. */
interface ValidateFlags {
  readonly schemas?: string;
  readonly kubectl: string;
}

/**
 * `dit-gitops validate [dir]`: builds every `main/<env>` and `clusters/<env>` folder with
 * `kubectl kustomize` and validates every object strictly against the JSON schemas. Prints
 * one line per folder, the findings under it, and a total; exits 1 on any finding.
 */
export function validateCommand(): Command {
  return new Command('validate')
    .description('build every environment with kubectl kustomize and validate every object against the schemas')
    .argument('[dir]', 'the tree to validate', 'dist')
    .option('--schemas <dir>', 'JSON schemas in kubeconform\'s layout (default: the schemas shipped with dit-gitops)')
    .option('--kubectl <path>', 'the kubectl binary (kustomize v5)', 'kubectl')
    .action((dir: string, flags: ValidateFlags) => {
      process.exitCode = runValidate(dir, flags);
    });
}

function runValidate(dir: string, flags: ValidateFlags): number {
  const tree = readTree(dir);
  const roots = environmentRoots(tree);
  if (!roots.some((r) => r.startsWith('main/'))) {
    console.error(`dit-gitops: ${dir}/ has no main/*/kustomization.yaml; expected a tree synthesized by dit-gitops (run \`npx dit-gitops synth\`, or pass its directory)`);
    return 1;
  }
  const probe = spawnSync(flags.kubectl, ['version', '--client'], { encoding: 'utf8' });
  if (probe.error) {
    console.error(`dit-gitops: ${flags.kubectl} was not found: validate builds every environment with \`kubectl kustomize\` (kustomize v5); install kubectl, or pass --kubectl <path>`);
    return 1;
  }
  const schemas = flags.schemas ?? DEFAULT_SCHEMAS_DIR;
  if (!schemas || !fs.existsSync(schemas)) {
    console.error(`dit-gitops: no schemas at ${schemas ?? 'the dit-gitops package'}; pass --schemas <dir> (JSON schemas in kubeconform's layout: <group>/<kind>_<version>.json, kubernetes/)`);
    return 1;
  }
  const results = validateEnvironments(tree, { schemas, kubectl: flags.kubectl });
  const width = Math.max(...results.map((r) => r.root.length));
  let total = 0;
  for (const { root, objects, findings } of results) {
    total += findings.length;
    const status = findings.length === 0 ? 'ok' : `${findings.length} finding${findings.length === 1 ? '' : 's'}`;
    console.log(`${root.padEnd(width)}  ${String(objects).padStart(3)} objects  ${status}`);
    for (const f of findings) console.log(`  ${f.file}: ${f.object || '(file)'} ${f.field || '(file)'}: ${f.message}`);
  }
  const objects = results.reduce((n, r) => n + r.objects, 0);
  console.log(`dit-gitops validate: ${results.length} folders, ${objects} objects, ${total === 0 ? 'valid' : `${total} finding${total === 1 ? '' : 's'}`}`);
  return total === 0 ? 0 : 1;
}
