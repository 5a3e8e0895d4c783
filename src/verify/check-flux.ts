import { parseDocument } from 'yaml';
import { pendingReason } from '../images/image-file';
import { PlainObject, isPlainObject } from '../tree/strategic-patch';
import { asList, nameOf, namespaceOf } from './rendered-index';
import type { EnvironmentFacts } from './environment-facts';
import { secretsMadeBy } from './check-references';
import { VerifyNote, VerifyProblem, VerifyRule } from './verify-problem';

/** What the Flux checks read besides the definitions. */
export interface FluxInputs {
  /** `kubectl kustomize main/<env>`: HelmReleases, sources and image automation as Flux applies them. */
  readonly built: readonly PlainObject[];
  /** `kubectl kustomize clusters/<env>`, or undefined when the tree has no FluxCluster. */
  readonly cluster?: readonly PlainObject[];
  /** The image.yaml files of the environment, by path in the tree, with their text (setter markers are comments). */
  readonly imageFiles: Readonly<Record<string, string>>;
  /** Whether a path of the git repository (`./charts/dit-common-api/Chart.yaml`) exists. */
  readonly exists: (repositoryPath: string) => boolean;
}

const MARKER = /\{"\$imagepolicy":\s*"([^"]+)"\}/g;

/**
 * Rule 3: every Flux reference resolves within the environment and the cluster tree:
 * chartRef → HelmChart and its source and path, dependsOn, Kustomization paths and sources,
 * ImagePolicy → ImageRepository, setter markers → ImagePolicy, non-optional valuesFrom.
 */
export function checkFlux(facts: EnvironmentFacts, inputs: FluxInputs): { problems: VerifyProblem[]; notes: VerifyNote[] } {
  const problems: VerifyProblem[] = [];
  const notes: VerifyNote[] = [];
  const add = (component: string, message: string) => problems.push({ environment: facts.name, component, rule: VerifyRule.FLUX, message });
  const all = [...inputs.built, ...inputs.cluster ?? []];
  const find = (kind: string, name: string, namespace: string) => all.find((o) => o.kind === kind && nameOf(o) === name && namespaceOf(o, facts.namespace) === namespace);
  const names = (kind: string) => inputs.built.filter((o) => o.kind === kind).map(nameOf);

  for (const release of inputs.built.filter((o) => o.kind === 'HelmRelease')) {
    const name = nameOf(release);
    const spec = isPlainObject(release.spec) ? release.spec : {};
    const namespace = namespaceOf(release, facts.namespace);
    if (spec.suspend === true) notes.push({ environment: facts.name, component: name, message: suspendedNote(name, inputs.built) });
    if (isPlainObject(spec.chartRef)) {
      const ref = spec.chartRef;
      const refNamespace = String(ref.namespace ?? namespace);
      if (!find(String(ref.kind), String(ref.name), refNamespace)) {
        if (inputs.cluster === undefined && ref.kind === 'HelmChart') {
          notes.push({ environment: facts.name, component: name, message: `chartRef HelmChart ${refNamespace}/${String(ref.name)} is not in the tree (no FluxCluster): taken as provided by the cluster` });
        } else {
          add(name, `chartRef ${String(ref.kind)} ${refNamespace}/${String(ref.name)} does not exist in the tree`);
        }
      }
    }
    const chart = isPlainObject(spec.chart) && isPlainObject(spec.chart.spec) ? spec.chart.spec : undefined;
    if (chart && isPlainObject(chart.sourceRef) && !find(String(chart.sourceRef.kind), String(chart.sourceRef.name), String(chart.sourceRef.namespace ?? namespace))) {
      add(name, `chart.spec.sourceRef ${String(chart.sourceRef.kind)}/${String(chart.sourceRef.name)} does not exist in the tree`);
    }
    for (const dep of asList(spec.dependsOn)) {
      if (!find('HelmRelease', String(dep.name), String(dep.namespace ?? namespace))) {
        add(name, `dependsOn ${String(dep.name)}, which is no HelmRelease of ${facts.name}; expected one of ${names('HelmRelease').filter((n) => n !== name).join(', ') || '(none)'}`);
      }
    }
    for (const source of asList(spec.valuesFrom).filter((v) => v.optional !== true)) {
      const external = source.kind === 'Secret' ? [...facts.external.secrets ?? [], ...secretsMadeBy(inputs.built)] : facts.external.configMaps;
      if (!find(String(source.kind), String(source.name), namespace) && !(external ?? []).includes(String(source.name))) {
        add(name, `valuesFrom ${String(source.kind)} ${String(source.name)} is not optional and neither the tree nor external.${source.kind === 'Secret' ? 'secrets' : 'configMaps'} has it; the release would not install`);
      }
    }
  }

  for (const chart of (inputs.cluster ?? []).filter((o) => o.kind === 'HelmChart')) {
    const spec = isPlainObject(chart.spec) ? chart.spec : {};
    const source = isPlainObject(spec.sourceRef) ? spec.sourceRef : {};
    if (!find(String(source.kind), String(source.name), namespaceOf(chart, 'flux-system'))) add(nameOf(chart), `HelmChart source ${String(source.kind)}/${String(source.name)} does not exist in the cluster tree`);
    if (source.kind === 'GitRepository' && !inputs.exists(`${String(spec.chart)}/Chart.yaml`)) {
      add(nameOf(chart), `HelmChart path ${String(spec.chart)} has no Chart.yaml in the repository; Flux cannot build the chart (copy the golden charts there: dit-gitops init does)`);
    }
  }
  for (const kustomization of (inputs.cluster ?? []).filter((o) => o.kind === 'Kustomization')) {
    const spec = isPlainObject(kustomization.spec) ? kustomization.spec : {};
    if (!inputs.exists(`${String(spec.path)}/kustomization.yaml`)) add(nameOf(kustomization), `Kustomization path ${String(spec.path)} has no kustomization.yaml in the repository`);
    const source = isPlainObject(spec.sourceRef) ? spec.sourceRef : {};
    if (!find(String(source.kind), String(source.name), String(source.namespace ?? namespaceOf(kustomization, 'flux-system')))) {
      add(nameOf(kustomization), `Kustomization source ${String(source.kind)}/${String(source.name)} does not exist in the cluster tree`);
    }
    for (const dep of asList(spec.dependsOn)) {
      if (!find('Kustomization', String(dep.name), String(dep.namespace ?? namespaceOf(kustomization, 'flux-system')))) {
        notes.push({ environment: facts.name, component: nameOf(kustomization), message: `dependsOn Kustomization ${String(dep.name)} is outside the tree (FluxCluster sync.dependsOn says it exists)` });
      }
    }
  }

  for (const policy of inputs.built.filter((o) => o.kind === 'ImagePolicy')) {
    const ref = isPlainObject(policy.spec) && isPlainObject(policy.spec.imageRepositoryRef) ? policy.spec.imageRepositoryRef : {};
    if (!find('ImageRepository', String(ref.name), String(ref.namespace ?? namespaceOf(policy, facts.namespace)))) {
      add(nameOf(policy), `ImagePolicy/${nameOf(policy)} watches ImageRepository ${String(ref.name)}, which does not exist in ${facts.name}`);
    }
  }
  for (const automation of inputs.built.filter((o) => o.kind === 'ImageUpdateAutomation')) {
    const spec = isPlainObject(automation.spec) ? automation.spec : {};
    const source = isPlainObject(spec.sourceRef) ? spec.sourceRef : {};
    if (inputs.cluster && !find(String(source.kind), String(source.name), String(source.namespace ?? facts.namespace))) {
      add(nameOf(automation), `ImageUpdateAutomation/${nameOf(automation)} pushes to ${String(source.kind)} ${String(source.name)}, which is not in the cluster tree`);
    }
    const path = isPlainObject(spec.update) ? String(spec.update.path) : '';
    if (!inputs.exists(`${path}/image.yaml`)) add(nameOf(automation), `ImageUpdateAutomation/${nameOf(automation)} updates ${path}, which has no image.yaml`);
  }
  for (const [file, content] of Object.entries(inputs.imageFiles)) {
    const component = file.split('/')[0];
    const pending = pendingNote(file, content, facts.name);
    if (pending) notes.push({ environment: facts.name, component, message: pending });
    for (const [, marker] of content.matchAll(MARKER)) {
      const [namespace, name] = marker.split(':');
      if (!find('ImagePolicy', name, namespace)) add(component, `${file} has the setter marker ${marker}, but ImagePolicy ${namespace}/${name} does not exist in ${facts.name}`);
    }
  }
  return { problems, notes };
}

/**
 * A suspended release is a note, not a problem: Flux keeps it declared and reconciles nothing
 * (no install, no upgrade), so it runs nothing until the tree drops `suspend`. Its Services do
 * not exist until then: the calls verify passes against them, and the releases that dependsOn
 * it, wait for it.
 */
function suspendedNote(name: string, built: readonly PlainObject[]): string {
  const dependents = built.filter((o) => o.kind === 'HelmRelease' && isPlainObject(o.spec) && asList(o.spec.dependsOn).some((d) => d.name === name)).map(nameOf);
  return `suspended (spec.suspend: true): Flux keeps the release declared and installs nothing until the tree drops suspend, so its Services do not exist yet; calls to it reach it once it runs`
    + (dependents.length > 0 ? `, and ${dependents.join(', ')} (dependsOn ${name}) wait${dependents.length === 1 ? 's' : ''} until it is ready` : '');
}

/**
 * A pending release is a note, not a problem: it installs with no pod (replicas 0, a suspended
 * CronJob, no hook Jobs) and starts once image.yaml holds an accepted image. The note says what
 * starts it: the tag (the auto-deploy action's edit, or set-image), and where the environment
 * pins digests the digest too, which the action's tag edit alone never writes.
 */
export function pendingNote(file: string, content: string, environment: string): string | undefined {
  let values: unknown;
  try {
    const parsed = parseDocument(content, { version: '1.1' }).toJS() as { spec?: { values?: unknown } } | null;
    values = parsed?.spec?.values;
  } catch {
    return undefined;
  }
  const reason = pendingReason(values);
  if (!reason) return undefined;
  const component = file.split('/')[0];
  const image = (values as { global: { image: { tag?: unknown; digest?: unknown } } }).global.image;
  const waitsForDigest = image.digest === '' || image.digest === null;
  const start = `npx dit-gitops set-image ${component} --env ${environment} --tag <tag>${waitsForDigest ? ' --digest sha256:<digest>' : ''}`;
  if (reason === 'tag') {
    return `pending: ${file} holds no tag yet (tag: ""), so the release installs with no pod (replicas 0, CronJob suspended, no hook Jobs); `
      + (waitsForDigest
        ? `it starts once CI records the tag and the digest (${environment} pins digests; the auto-deploy action sets only the tag): ${start}, or Flux image automation`
        : `it starts when CI sets the tag: the auto-deploy action, or ${start}`);
  }
  return `pending: ${file} holds tag ${String(image.tag)} but no digest (digest: ""), which ${environment} requires, so the release stays at no pod and runs no unpinned image; `
    + `it starts once the digest is recorded: npx dit-gitops set-image ${component} --env ${environment} --tag ${String(image.tag)} --digest sha256:<digest of ${String(image.tag)}>, or Flux image automation`;
}
