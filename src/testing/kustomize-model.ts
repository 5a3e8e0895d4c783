import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { PlainObject, applyPatch, isPlainObject } from '../tree/strategic-patch';
import type { Tree } from './synth-tree';

/** An object after its patches, with every document that contributed to it, in order. */
export interface BuiltObject {
  readonly object: PlainObject;
  readonly sources: ReadonlyArray<{ readonly file: string; readonly document: PlainObject }>;
}

/** Something in the tree that kustomize would refuse or that validation found. */
export interface TreeFinding {
  /** File to fix, relative to the output directory. */
  readonly file: string;
  /** `Kind/name` of the object. */
  readonly object: string;
  /** Dotted path of the field, `metadata.name` for a patch that targets nothing. */
  readonly field: string;
  readonly message: string;
}

/** The result of {@link buildKustomization}. */
export interface Build {
  readonly objects: readonly BuiltObject[];
  readonly findings: readonly TreeFinding[];
}

/**
 * Builds a kustomization directory of the tree the way kustomize treats this project's
 * files: resources (files and directories), patches merged in order (maps merge, lists
 * replace, `null` deletes; the last patch wins), and the namespace. It is the model the
 * testing helpers reason with; tests prove it agrees with `kubectl kustomize`.
 */
export function buildKustomization(tree: Tree, dir: string): Build {
  const file = `${dir}/kustomization.yaml`;
  const kustomization = documents(tree, file)[0] as { resources?: string[]; patches?: Array<{ path: string }>; namespace?: string } | undefined;
  if (!kustomization) return { objects: [], findings: [{ file, object: '', field: '', message: 'is not in the tree' }] };
  const objects: Array<{ object: PlainObject; sources: Array<{ file: string; document: PlainObject }> }> = [];
  const findings: TreeFinding[] = [];
  for (const resource of kustomization.resources ?? []) {
    const target = path.posix.normalize(path.posix.join(dir, resource));
    if (tree[`${target}/kustomization.yaml`] !== undefined) {
      const sub = buildKustomization(tree, target);
      objects.push(...sub.objects.map((o) => ({ object: o.object, sources: [...o.sources] })));
      findings.push(...sub.findings);
    } else if (tree[target] !== undefined) {
      objects.push(...documents(tree, target).map((document) => ({ object: document, sources: [{ file: target, document }] })));
    } else {
      findings.push({ file, object: '', field: 'resources', message: `resource ${resource} is not in the tree` });
    }
  }
  for (const patch of kustomization.patches ?? []) {
    const patchFile = path.posix.join(dir, patch.path);
    for (const document of documents(tree, patchFile)) {
      const target = objects.find((o) => sameObject(o.object, document));
      if (!target) {
        findings.push({ file: patchFile, object: identity(document), field: 'metadata.name', message: `patch targets ${identity(document)}, which ${dir} does not contain; expected one of ${objects.map((o) => identity(o.object)).join(', ')}` });
        continue;
      }
      target.object = applyPatch(target.object, document) as PlainObject;
      target.sources.push({ file: patchFile, document });
    }
  }
  if (kustomization.namespace) {
    for (const o of objects) o.object = { ...o.object, metadata: { ...(o.object.metadata as PlainObject), namespace: kustomization.namespace } };
  }
  return { objects, findings };
}

/** `Kind/name` of an object. */
export function identity(object: PlainObject): string {
  return `${String(object.kind)}/${String(isPlainObject(object.metadata) ? object.metadata.name : undefined)}`;
}

function sameObject(a: PlainObject, b: PlainObject): boolean {
  const group = (o: PlainObject) => String(o.apiVersion).split('/').slice(0, -1).join('/');
  return group(a) === group(b) && identity(a) === identity(b);
}

function documents(tree: Tree, file: string): PlainObject[] {
  const text = tree[file];
  return text === undefined ? [] : parseAllDocuments(text).map((d) => d.toJS()).filter(isPlainObject);
}
